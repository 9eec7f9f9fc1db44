import { useState } from 'react';
import {
  Badge,
  Button,
  EmptyState,
  Form,
  formatNumber,
  ModalDialog,
  PageTitle,
  QueryView,
  Table,
  TextAreaField,
  TextField,
} from '../../ui/index.js';
import { type Processor, type ProcessorInput, useProcessors, useSaveProcessor } from './api.js';
import { Checkbox } from './components.js';
import { DpoNav } from './nav.js';
import { RequireDpo, useIsDpo } from './scope.js';

const yesNo = (value: boolean, good = true) =>
  value === good ? 'Oui' : <Badge tone="warning">{value ? 'Oui' : 'Non'}</Badge>;

export function ProcessorsPage() {
  return (
    <RequireDpo>
      <Processors />
    </RequireDpo>
  );
}

function Processors() {
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const processors = useProcessors(applied || undefined);
  const canEdit = useIsDpo();
  const [editing, setEditing] = useState<{ processor?: Processor } | null>(null);
  return (
    <>
      <div className="page-header">
        <PageTitle title="Sous-traitants" />
        {canEdit && <Button onClick={() => setEditing({})}>Ajouter un sous-traitant</Button>}
      </div>
      <DpoNav />
      <p className="lead">
        L'annuaire partagé des sous-traitants (article 28 du RGPD), que les structures relient à leurs
        traitements. L'opérateur est lui-même sous-traitant des services qu'il héberge.
      </p>
      <search aria-label="Recherche de sous-traitants">
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(q.trim());
          }}
        >
          <TextField
            name="q"
            type="search"
            label="Rechercher un sous-traitant"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <div className="actions row">
            <Button type="submit">Rechercher</Button>
          </div>
        </form>
      </search>
      <QueryView query={processors} loadingLabel="Chargement de l'annuaire…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun sous-traitant trouvé.</EmptyState>
          ) : (
            <Table
              caption={`Annuaire des sous-traitants (${page.total})`}
              rows={page.items}
              rowKey={(p) => p.id}
              columns={[
                {
                  key: 'name',
                  header: 'Sous-traitant',
                  rowHeader: true,
                  render: (p) => (
                    <>
                      {p.name}
                      {p.isOperator && (
                        <>
                          {' '}
                          <Badge tone="info">Opérateur</Badge>
                        </>
                      )}
                      {p.siren && <span className="muted"> — SIREN {p.siren}</span>}
                    </>
                  ),
                },
                {
                  key: 'clauses',
                  header: 'Clauses vérifiées',
                  render: (p) => yesNo(p.contractClausesChecked),
                },
                { key: 'registry', header: 'Registre propre', render: (p) => yesNo(p.ownRegistry) },
                { key: 'dpo', header: 'Contact DPO', render: (p) => p.dpoContact ?? '—' },
                {
                  key: 'transfers',
                  header: 'Transferts hors UE',
                  render: (p) =>
                    p.transfersOutsideEu ? (
                      <>
                        <Badge tone="warning">Oui</Badge> {p.transferDetails}
                      </>
                    ) : (
                      'Non'
                    ),
                },
                {
                  key: 'linked',
                  header: 'Traitements liés',
                  numeric: true,
                  render: (p) => formatNumber(p.linkedProcessings),
                },
                ...(canEdit
                  ? [
                      {
                        key: 'actions',
                        header: 'Actions',
                        render: (p: Processor) => (
                          <Button
                            variant="secondary"
                            small
                            onClick={() => setEditing({ processor: p })}
                            aria-label={`Modifier ${p.name}`}
                          >
                            Modifier
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )
        }
      </QueryView>
      {editing && <ProcessorDialog processor={editing.processor} onClose={() => setEditing(null)} />}
    </>
  );
}

function ProcessorDialog({ processor, onClose }: { processor?: Processor; onClose: () => void }) {
  const save = useSaveProcessor();
  const [flags, setFlags] = useState({
    contractClausesChecked: processor?.contractClausesChecked ?? false,
    ownRegistry: processor?.ownRegistry ?? false,
    transfersOutsideEu: processor?.transfersOutsideEu ?? false,
    isOperator: processor?.isOperator ?? false,
  });
  const flag = (key: keyof typeof flags) => (checked: boolean) => setFlags((f) => ({ ...f, [key]: checked }));
  return (
    <ModalDialog
      title={processor ? `Modifier ${processor.name}` : 'Ajouter un sous-traitant'}
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      <Form
        id="sous-traitant"
        error={save.error}
        onSubmit={(data) => {
          const text = (k: string) => String(data.get(k) ?? '').trim();
          const body: ProcessorInput = {
            name: text('name'),
            siren: text('siren').replace(/\s/g, '') || null,
            dpoContact: text('dpoContact') || null,
            transferDetails: flags.transfersOutsideEu ? text('transferDetails') || null : null,
            ...flags,
          };
          save.mutate({ id: processor?.id, body }, { onSuccess: onClose });
        }}
      >
        <TextField name="name" label="Nom" required defaultValue={processor?.name ?? ''} />
        <TextField
          name="siren"
          label="SIREN"
          inputMode="numeric"
          hint="9 chiffres, facultatif"
          defaultValue={processor?.siren ?? ''}
        />
        <TextField name="dpoContact" label="Contact du DPO" defaultValue={processor?.dpoContact ?? ''} />
        <Checkbox
          name="contractClausesChecked"
          label="Clauses contractuelles de l'article 28 vérifiées"
          checked={flags.contractClausesChecked}
          onChange={flag('contractClausesChecked')}
        />
        <Checkbox
          name="ownRegistry"
          label="Le sous-traitant tient son propre registre"
          checked={flags.ownRegistry}
          onChange={flag('ownRegistry')}
        />
        <Checkbox
          name="isOperator"
          label="C'est l'opérateur (services hébergés)"
          checked={flags.isOperator}
          onChange={flag('isOperator')}
        />
        <Checkbox
          name="transfersOutsideEu"
          label="Transferts hors de l'Union européenne"
          checked={flags.transfersOutsideEu}
          onChange={flag('transfersOutsideEu')}
        />
        {flags.transfersOutsideEu && (
          <TextAreaField
            name="transferDetails"
            label="Détail des transferts et garanties"
            defaultValue={processor?.transferDetails ?? ''}
          />
        )}
        <div className="form-actions">
          <Button type="submit" pending={save.isPending}>
            Enregistrer
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}
