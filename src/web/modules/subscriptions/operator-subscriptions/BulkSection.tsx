import { useState } from 'react';
import { MEMBER_KIND_LABELS, MEMBER_KINDS, type MemberKind } from '../../../../contracts/members.js';
import type { BulkReport } from '../../../../contracts/subscriptions.js';
import {
  Alert,
  Button,
  Form,
  formatNumber,
  optionsOf,
  SearchComboBox,
  SelectField,
  Table,
  TextField,
  today,
} from '../../../ui/index.js';
import { searchEpcis, useDepartements } from '../../territory/api.js';
import { useBulkSubscribe } from '../api.js';

type BulkInput = {
  serviceId: string;
  epciCode?: string;
  departement?: string;
  kind?: MemberKind;
  startDate: string;
};

function BulkReportView({ report }: { report: BulkReport }) {
  return (
    <Table
      caption={
        report.dryRun
          ? `Vérification : ${formatNumber(report.created)} abonnement(s) seraient créés, ${formatNumber(report.skipped)} structure(s) ignorée(s)`
          : `Résultat : ${formatNumber(report.created)} abonnement(s) créé(s), ${formatNumber(report.skipped)} structure(s) ignorée(s)`
      }
      rows={report.items}
      rowKey={(i) => i.memberId}
      columns={[
        { key: 'name', header: 'Structure', rowHeader: true, render: (i) => i.name },
        {
          key: 'outcome',
          header: 'Résultat',
          render: (i) => (i.outcome === 'created' ? (report.dryRun ? 'Sera abonnée' : 'Abonnée') : 'Ignorée'),
        },
        { key: 'reason', header: 'Motif', render: (i) => i.reason ?? '—' },
      ]}
    />
  );
}

export function BulkSection({ serviceOptions }: { serviceOptions: { value: string; label: string }[] }) {
  const [criterion, setCriterion] = useState<'epci' | 'departement'>('epci');
  const [input, setInput] = useState<BulkInput | null>(null);
  const check = useBulkSubscribe();
  const commit = useBulkSubscribe();
  const departements = useDepartements();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const report = commit.data ?? check.data;
  return (
    <section aria-labelledby="groupe-titre">
      <h2 id="groupe-titre">Abonnement groupé</h2>
      <p>
        Abonnez d'un coup un ensemble de structures, par exemple toutes les communes d'un EPCI. Une
        vérification montre d'abord, structure par structure, ce qui sera fait et pourquoi certaines sont
        ignorées.
      </p>
      <Form
        id="abonnement-groupe"
        error={check.error ?? commit.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const value = (key: string) => String(data.get(key) ?? '').trim();
          const errors: Record<string, string> = {};
          if (!value('serviceId')) errors.serviceId = 'Choisissez un service.';
          if (criterion === 'epci' && !value('epciCode'))
            errors.epciCode = 'Choisissez un EPCI dans la liste.';
          if (criterion === 'departement' && !value('departement'))
            errors.departement = 'Choisissez un département.';
          if (!value('startDate')) errors.startDate = 'Indiquez la date de démarrage.';
          setClientErrors(errors);
          if (Object.keys(errors).length) return;
          const next: BulkInput = {
            serviceId: value('serviceId'),
            startDate: value('startDate'),
            ...(criterion === 'epci'
              ? { epciCode: value('epciCode') }
              : { departement: value('departement') }),
            ...(value('kind') ? { kind: value('kind') as MemberKind } : {}),
          };
          setInput(next);
          commit.reset();
          check.reset();
          check.mutate({ ...next, dryRun: true });
        }}
      >
        <SelectField
          name="serviceId"
          label="Service"
          placeholder="Choisir un service…"
          options={serviceOptions}
          required
        />
        <SelectField
          name="criterion"
          label="Structures à abonner"
          options={[
            { value: 'epci', label: 'Un EPCI et ses communes' },
            { value: 'departement', label: 'Un département' },
          ]}
          value={criterion}
          onChange={(e) => setCriterion(e.target.value as typeof criterion)}
        />
        {criterion === 'epci' ? (
          <SearchComboBox
            name="epciCode"
            label="EPCI"
            hint="Tapez le nom ou le SIREN puis choisissez dans la liste."
            search={searchEpcis}
            queryKey="epci"
            required
          />
        ) : (
          <SelectField
            name="departement"
            label="Département"
            placeholder="Choisir un département…"
            options={(departements.data?.items ?? []).map((d) => ({
              value: d.code,
              label: `${d.code} — ${d.name}`,
            }))}
            required
          />
        )}
        <SelectField
          name="kind"
          label="Seulement les structures de type (facultatif)"
          placeholder="Tous les types"
          options={optionsOf(MEMBER_KIND_LABELS, MEMBER_KINDS)}
        />
        <TextField name="startDate" label="Date de démarrage" type="date" defaultValue={today()} required />
        <div className="form-actions">
          <Button type="submit" pending={check.isPending}>
            Vérifier (sans rien enregistrer)
          </Button>
        </div>
      </Form>
      <div aria-live="polite">
        {commit.isSuccess && (
          <Alert type="success" title="Abonnements créés">
            <p>
              {formatNumber(commit.data.created)} abonnement(s) créé(s), {formatNumber(commit.data.skipped)}{' '}
              structure(s) ignorée(s).
            </p>
          </Alert>
        )}
      </div>
      {check.data && !commit.isSuccess && input && check.data.created > 0 && (
        <p>
          <Button pending={commit.isPending} onClick={() => commit.mutate({ ...input, dryRun: false })}>
            Abonner {formatNumber(check.data.created)} structure{check.data.created > 1 ? 's' : ''}
          </Button>
        </p>
      )}
      {report && <BulkReportView report={report} />}
    </section>
  );
}
