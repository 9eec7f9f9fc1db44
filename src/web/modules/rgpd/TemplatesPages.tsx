import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { type FormEvent, useId, useState } from 'react';
import { MEMBER_KIND_LABELS, MEMBER_KINDS, type MemberKind } from '../../../contracts/members.js';
import { type APPLY_OUTCOMES, LEGAL_BASIS_LABELS, type MemberTarget } from '../../../contracts/rgpd.js';
import {
  Alert,
  Badge,
  Button,
  ButtonLink,
  EmptyState,
  Form,
  formatNumber,
  PageTitle,
  QueryView,
  SelectField,
  Table,
  TextField,
} from '../../ui/index.js';
import { KIND_OPTIONS, kindLabel, useDepartementOptions } from '../members/components.js';
import {
  type ApplyReport,
  type Template,
  useApplyTemplate,
  useSaveTemplate,
  useTemplate,
  useTemplates,
} from './api.js';
import { ApplyReportTable, Checkbox } from './components.js';
import { DpoNav } from './DpoDashboardPage.js';
import { cleanValue, type EditorValue, FieldsEditor } from './FieldsEditor.js';
import { formatParisDateTime } from './format.js';
import { RequireDpo } from './scope.js';

type TemplateSearch = { q?: string; kind?: string };

export function TemplatesPage() {
  return (
    <RequireDpo>
      <TemplatesList />
    </RequireDpo>
  );
}

function TemplatesList() {
  const search = useSearch({ from: '/operateur/rgpd/modeles' }) as TemplateSearch;
  const navigate = useNavigate();
  const templates = useTemplates(search);
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: TemplateSearch = {};
    for (const key of ['q', 'kind'] as const) {
      const value = String(data.get(key) ?? '').trim();
      if (value) next[key] = value;
    }
    navigate({ to: '/operateur/rgpd/modeles', search: next });
  };
  return (
    <>
      <div className="page-header">
        <PageTitle title="Modèles de traitements" />
        <ButtonLink to="/operateur/rgpd/modeles/nouveau">Nouveau modèle</ButtonLink>
      </div>
      <DpoNav />
      <p>
        Pour proposer un modèle aux structures abonnées à un service, liez-le à ce service dans le{' '}
        <Link to="/operateur/catalogue">catalogue des services</Link> (rubrique « Registre RGPD » du service).
      </p>
      <search aria-label="Filtres des modèles">
        <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
          <TextField id={`${id}-q`} name="q" type="search" label="Rechercher" defaultValue={search.q ?? ''} />
          <SelectField
            id={`${id}-kind`}
            name="kind"
            label="Type de structure"
            placeholder="Tous les types"
            options={KIND_OPTIONS}
            defaultValue={search.kind ?? ''}
          />
          <div className="actions row">
            <Button type="submit">Filtrer</Button>
          </div>
        </form>
      </search>
      <QueryView query={templates} loadingLabel="Chargement des modèles…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun modèle ne correspond à ces critères.</EmptyState>
          ) : (
            <Table
              caption={`Bibliothèque de modèles (${page.total})`}
              rows={page.items}
              rowKey={(t) => t.id}
              columns={[
                {
                  key: 'name',
                  header: 'Modèle',
                  rowHeader: true,
                  render: (t) => (
                    <Link to="/operateur/rgpd/modeles/$templateId" params={{ templateId: t.id }}>
                      {t.name}
                    </Link>
                  ),
                },
                {
                  key: 'kinds',
                  header: 'Structures concernées',
                  render: (t) =>
                    t.applicableKinds.length
                      ? t.applicableKinds.map((k) => kindLabel(k)).join(', ')
                      : 'Toutes',
                },
                {
                  key: 'legalBasis',
                  header: 'Base légale',
                  render: (t) => (t.legalBasis ? LEGAL_BASIS_LABELS[t.legalBasis] : '—'),
                },
                {
                  key: 'dpia',
                  header: 'AIPD',
                  render: (t) => (t.dpiaRequired ? <Badge tone="warning">Requise</Badge> : 'Non requise'),
                },
                { key: 'version', header: 'Version', numeric: true, render: (t) => t.version },
                {
                  key: 'linked',
                  header: 'Fiches liées',
                  numeric: true,
                  render: (t) => formatNumber(t.linkedProcessings),
                },
              ]}
            />
          )
        }
      </QueryView>
    </>
  );
}

const emptyFields = (): EditorValue => ({
  name: 'Nouveau traitement',
  purposes: '',
  legalBasis: null,
  legalBasisJustification: null,
  sensitiveData: false,
  sensitiveException: null,
  dataSubjects: [],
  dataCategories: [],
  sources: null,
  collectionMethod: null,
  recipients: [],
  transfers: [],
  retention: [],
  securityMeasures: {
    accessControl: null,
    traceability: null,
    backups: null,
    updates: null,
    encryption: null,
    other: null,
  },
  software: null,
  department: null,
  dpiaCriteria: [],
});

export function NewTemplatePage() {
  return (
    <RequireDpo>
      <PageTitle title="Nouveau modèle" />
      <DpoNav />
      <TemplateEditor />
    </RequireDpo>
  );
}

export function TemplatePage() {
  const { templateId } = useParams({ from: '/operateur/rgpd/modeles/$templateId' });
  return (
    <RequireDpo>
      <TemplateDetail templateId={templateId} />
    </RequireDpo>
  );
}

function TemplateDetail({ templateId }: { templateId: string }) {
  const template = useTemplate(templateId);
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/rgpd/modeles">Modèles de traitements</Link>
          </li>
          <li aria-current="page">{template.data?.name ?? 'Modèle'}</li>
        </ol>
      </nav>
      <PageTitle title={template.data ? `Modèle : ${template.data.name}` : 'Modèle'} />
      <QueryView query={template} loadingLabel="Chargement du modèle…">
        {(t) => (
          <>
            <p className="muted">
              Code {t.code} — version {t.version}, modifiée le {formatParisDateTime(t.updatedAt)} —{' '}
              {formatNumber(t.linkedProcessings)} fiche{t.linkedProcessings > 1 ? 's' : ''} liée
              {t.linkedProcessings > 1 ? 's' : ''}.
            </p>
            <ApplySection template={t} />
            <h2>Contenu du modèle</h2>
            <p>
              Enregistrer une modification crée une nouvelle version : les fiches liées affichent alors « mise
              à jour disponible ».
            </p>
            <TemplateEditor template={t} />
          </>
        )}
      </QueryView>
    </>
  );
}

function TemplateEditor({ template }: { template?: Template }) {
  const save = useSaveTemplate();
  const navigate = useNavigate();
  const [code, setCode] = useState(template?.code ?? '');
  const [name, setName] = useState(template?.name ?? '');
  const [kinds, setKinds] = useState<string[]>(template?.applicableKinds ?? ['commune']);
  const [fields, setFields] = useState<EditorValue>(() => (template ? template.fields : emptyFields()));
  const [saved, setSaved] = useState(false);
  return (
    <Form
      id="modele"
      error={save.error}
      aria-label="Contenu du modèle"
      onSubmit={() => {
        setSaved(false);
        const body = {
          ...(template ? {} : { code }),
          name: name.trim() || fields.name,
          applicableKinds: kinds,
          fields: cleanValue(fields),
        };
        save.mutate(
          { id: template?.id, body },
          {
            onSuccess: (t) => {
              if (!template)
                navigate({ to: '/operateur/rgpd/modeles/$templateId', params: { templateId: t.id } });
              else setSaved(true);
            },
          },
        );
      }}
    >
      {saved && (
        <Alert type="success" live>
          <p>Modèle enregistré : les fiches liées proposent la mise à jour.</p>
        </Alert>
      )}
      <section className="rgpd-section" aria-labelledby="section-modele">
        <h2 id="section-modele">Modèle</h2>
        {!template && (
          <TextField
            name="code"
            label="Code du modèle"
            required
            hint="Minuscules, chiffres, - et _ (ex. : etat-civil)"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
        )}
        <TextField
          name="name"
          label="Nom du modèle"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <fieldset>
          <legend>Types de structures concernées</legend>
          <div className="rgpd-checklist">
            {MEMBER_KINDS.map((k) => (
              <Checkbox
                key={k}
                label={MEMBER_KIND_LABELS[k]}
                checked={kinds.includes(k)}
                onChange={(checked) => setKinds((ks) => (checked ? [...ks, k] : ks.filter((x) => x !== k)))}
              />
            ))}
          </div>
        </fieldset>
      </section>
      <FieldsEditor
        value={fields}
        onChange={(change) => setFields((f) => ({ ...f, ...change }))}
        local={false}
      />
      <div className="form-actions sticky-actions">
        <Button type="submit" pending={save.isPending}>
          {template ? 'Enregistrer une nouvelle version' : 'Créer le modèle'}
        </Button>
      </div>
    </Form>
  );
}

const OUTCOME_LABELS: Record<(typeof APPLY_OUTCOMES)[number], string> = {
  created: 'Fiche créée',
  already_present: 'Déjà présente (non modifiée)',
  not_applicable: 'Type de structure non concerné',
  not_found: 'Structure introuvable',
};

function ApplySection({ template }: { template: Template }) {
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
