import { useState } from 'react';
import type { MemberKind } from '../../../../contracts/members.js';
import type { APPLY_OUTCOMES, MemberTarget } from '../../../../contracts/rgpd.js';
import { Alert, Button, Form, formatNumber, SelectField, TextField } from '../../../ui/index.js';
import { KIND_OPTIONS, useDepartementOptions } from '../../members/components.js';
import { type ApplyReport, type Template, useApplyTemplate } from '../api.js';
import { ApplyReportTable } from '../components.js';

const OUTCOME_LABELS: Record<(typeof APPLY_OUTCOMES)[number], string> = {
  created: 'Fiche créée',
  already_present: 'Déjà présente (non modifiée)',
  not_applicable: 'Type de structure non concerné',
  not_found: 'Structure introuvable',
};

export function ApplySection({ template }: { template: Template }) {
  const apply = useApplyTemplate(template.id);
  const departements = useDepartementOptions();
  const [report, setReport] = useState<ApplyReport | null>(null);
  const defaultKind = (template.applicableKinds[0] as MemberKind | undefined) ?? 'commune';
  return (
    <section aria-labelledby="appliquer-titre" className="card">
      <h2 id="appliquer-titre">Appliquer le modèle à des structures</h2>
      <p>
        Crée une fiche liée au modèle dans le registre de chaque structure choisie ; chacune l'ajuste ensuite
        localement. Les structures qui ont déjà une fiche issue de ce modèle ne sont pas modifiées.
      </p>
      <Form
        id="appliquer"
        error={apply.error}
        onSubmit={(data) => {
          const text = (k: string) => String(data.get(k) ?? '').trim();
          const target: MemberTarget = {};
          if (text('departement')) target.departement = text('departement');
          if (text('kind')) target.kind = text('kind') as MemberKind;
          if (text('epciCode')) target.epciCode = text('epciCode');
          setReport(null);
          apply.mutate(target, { onSuccess: setReport });
        }}
      >
        <div className="filters">
          <SelectField
            name="departement"
            label="Département"
            placeholder="Choisir…"
            options={departements}
            key={departements.length}
          />
          <SelectField
            name="kind"
            label="Type de structure"
            placeholder="Tous les types concernés"
            options={KIND_OPTIONS}
            defaultValue={defaultKind}
          />
          <TextField
            name="epciCode"
            label="Ou les communes d'un EPCI (SIREN)"
            inputMode="numeric"
            hint="9 chiffres, à la place du département"
          />
          <div className="actions row">
            <Button type="submit" pending={apply.isPending}>
              Appliquer le modèle
            </Button>
          </div>
        </div>
      </Form>
      {report && <ApplyReportView report={report} />}
    </section>
  );
}

function ApplyReportView({ report }: { report: ApplyReport }) {
  return (
    <div>
      <Alert type={report.created > 0 ? 'success' : 'info'} title="Application terminée" live>
        <p>
          {formatNumber(report.created)} fiche{report.created > 1 ? 's' : ''} créée
          {report.created > 1 ? 's' : ''}, {formatNumber(report.skipped)} structure
          {report.skipped > 1 ? 's' : ''} ignorée
          {report.skipped > 1 ? 's' : ''}.
        </p>
      </Alert>
      {report.members.length > 0 && (
        <ApplyReportTable
          report={report}
          caption="Rapport par structure"
          outcomeLabels={OUTCOME_LABELS}
          linkLabel={() => 'Ouvrir la fiche'}
        />
      )}
    </div>
  );
}
