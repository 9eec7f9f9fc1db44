import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useId } from 'react';
import { LEGAL_BASIS_LABELS } from '../../../../contracts/rgpd.js';
import {
  Badge,
  Button,
  ButtonLink,
  EmptyState,
  formatNumber,
  PageTitle,
  QueryView,
  SelectField,
  Table,
  TextField,
} from '../../../ui/index.js';
import { KIND_OPTIONS, kindLabel } from '../../members/components.js';
import { useTemplates } from '../api.js';
import { DpoNav } from '../nav.js';
import { RequireDpo } from '../scope.js';

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
