import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Alert, Button, CheckboxGroup, Form, formatNumber, Loading, QueryView } from '../../ui/index.js';
import { kindLabel } from '../members/components.js';
import {
  type Processor,
  type ServiceImplied,
  type TemplateSummary,
  useProcessors,
  useSaveServiceImplied,
  useServiceImplied,
  useTemplates,
} from './api.js';
import { useIsDpo } from './scope.js';

/**
 * Catalogue link (issue 4, section 2), on the operator's service page: the templates a service implies
 * are offered to its subscribers in their registry (« Traitements proposés par vos services »), and a
 * processing taken up from that offer is linked to the processors chosen here. The DPO edits the
 * link; other operator users read it.
 */
export function ServiceImpliedSection({
  serviceId,
  serviceName,
}: {
  serviceId: string;
  serviceName: string;
}) {
  const implied = useServiceImplied(serviceId);
  const isDpo = useIsDpo();
  return (
    <section aria-labelledby="service-rgpd-titre">
      <h3 id="service-rgpd-titre">Registre RGPD : traitements impliqués par le service</h3>
      <p>
        Les structures abonnées à « {serviceName} » (ou qui l'ont demandé) se voient proposer ces modèles dans
        leur registre RGPD, tant qu'elles n'en ont pas la fiche. Une fiche ajoutée depuis cette proposition
        est liée aux sous-traitants indiqués ici.
      </p>
      <QueryView query={implied} loadingLabel="Chargement des liens RGPD…">
        {(value) => (isDpo ? <ImpliedForm implied={value} /> : <ImpliedSummary implied={value} />)}
      </QueryView>
    </section>
  );
}

const listOrNone = (names: string[], none: string) => (names.length ? names.join(', ') : none);

function ImpliedSummary({ implied }: { implied: ServiceImplied }) {
  return (
    <dl className="dl">
      <dt>Modèles de traitements proposés</dt>
      <dd>
        {listOrNone(
          implied.templates.map((t) => t.name),
          'Aucun',
        )}
      </dd>
      <dt>Sous-traitants liés</dt>
      <dd>
        {listOrNone(
          implied.processors.map((p) => p.name),
          'Aucun',
        )}
      </dd>
    </dl>
  );
}

const templateLabel = (t: TemplateSummary) =>
  `${t.name} (${t.applicableKinds.length ? t.applicableKinds.map((k) => kindLabel(k)).join(', ') : 'toutes structures'})`;

function ImpliedForm({ implied }: { implied: ServiceImplied }) {
  const templates = useTemplates({});
  const processors = useProcessors();
  const save = useSaveServiceImplied(implied.serviceId);
  const [templateIds, setTemplateIds] = useState(() => implied.templates.map((t) => t.id));
  const [processorIds, setProcessorIds] = useState(() => implied.processors.map((p) => p.id));
  const [saved, setSaved] = useState<ServiceImplied | null>(null);
  // A linked item always shows, even before (or without) its directory entry.
  const templateOptions = [
    ...(templates.data?.items ?? []).map((t) => ({ value: t.id, label: templateLabel(t) })),
    ...implied.templates
      .filter((t) => !templates.data?.items.some((x) => x.id === t.id))
      .map((t) => ({ value: t.id, label: t.name })),
  ];
  const processorOptions = [
    ...(processors.data?.items ?? []).map((p: Processor) => ({ value: p.id, label: p.name })),
    ...implied.processors
      .filter((p) => !processors.data?.items.some((x) => x.id === p.id))
      .map((p) => ({ value: p.id, label: p.name })),
  ];
  if (templates.isPending || processors.isPending) {
    return <Loading label="Chargement des modèles et des sous-traitants…" />;
  }
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      setSaved(null);
      set(v);
    };
  return (
    <Form
      id="service-rgpd"
      error={save.error}
      aria-labelledby="service-rgpd-titre"
      onSubmit={() => {
        setSaved(null);
        save.mutate({ templateIds, processorIds }, { onSuccess: setSaved });
      }}
    >
      {saved && (
        <Alert type="success" title="Liens RGPD enregistrés">
          <p>
            {saved.templates.length === 0
              ? 'Ce service ne propose plus aucun modèle à ses abonnés.'
              : `${formatNumber(saved.templates.length)} modèle${saved.templates.length > 1 ? 's' : ''} proposé${saved.templates.length > 1 ? 's' : ''} aux abonnés du service`}
            {saved.templates.length > 0 &&
              (saved.processors.length > 0
                ? `, avec ${formatNumber(saved.processors.length)} sous-traitant${saved.processors.length > 1 ? 's' : ''}.`
                : ', sans sous-traitant.')}
          </p>
        </Alert>
      )}
      {templates.isError || processors.isError ? (
        <Alert type="error" title="Chargement impossible">
          <p>La liste des modèles ou des sous-traitants n'a pas pu être chargée : rechargez la page.</p>
        </Alert>
      ) : null}
      <p>
        Bibliothèque du DPO : <Link to="/operateur/rgpd/modeles">modèles de traitements</Link>,{' '}
        <Link to="/operateur/rgpd/sous-traitants">sous-traitants</Link>.
      </p>
      <CheckboxGroup
        name="templateIds"
        legend="Modèles de traitements proposés aux abonnés"
        options={templateOptions}
        values={templateIds}
        onChange={change(setTemplateIds)}
      />
      <CheckboxGroup
        name="processorIds"
        legend="Sous-traitants liés aux fiches ajoutées depuis la proposition"
        options={processorOptions}
        values={processorIds}
        onChange={change(setProcessorIds)}
      />
      <div className="form-actions">
        <Button type="submit" pending={save.isPending}>
          Enregistrer les liens RGPD
        </Button>
      </div>
    </Form>
  );
}
