import { useState } from 'react';
import {
  ASSET_KIND_LABELS,
  ASSET_KINDS,
  type AssetKind,
  EXPOSURE_LABELS,
  RUNNER_LABELS,
} from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import {
  Badge,
  Button,
  type Column,
  EmptyState,
  formatNumber,
  optionsOf,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../../ui/index.js';
import { INVENTORY_PAGE_SIZE, type InventoryItem, inventoryExportUrl, useInventory } from '../api.js';
import { InventoryItemDialog } from './InventoryItemDialog.js';

const productOf = (i: InventoryItem) => [i.vendor, i.product, i.version].filter(Boolean).join(' ') || '—';

/** A member's inventory: totals by kind, the lines (filtered by kind or words), exports, and edits. */
export function InventoryView({ memberId, canEdit }: { memberId: string; canEdit: boolean }) {
  const [kind, setKind] = useState('');
  const [q, setQ] = useState('');
  const [typed, setTyped] = useState('');
  const search = { kind: kind || undefined, q: q || undefined };
  const pages = useCursorPages(JSON.stringify(search));
  const inventory = useInventory(memberId, search, pages.cursor);
  const [dialog, setDialog] = useState<{ item?: InventoryItem } | null>(null);
  const columns: Column<InventoryItem>[] = [
    { key: 'name', header: 'Nom', rowHeader: true, render: (i) => i.name },
    { key: 'kind', header: 'Type', render: (i) => ASSET_KIND_LABELS[i.kind] },
    { key: 'quantity', header: 'Nombre', numeric: true, render: (i) => formatNumber(i.quantity) },
    { key: 'product', header: 'Produit et version', render: (i) => productOf(i) },
    { key: 'runner', header: 'Exploité par', render: (i) => RUNNER_LABELS[i.runner] },
    {
      key: 'exposure',
      header: 'Exposition',
      render: (i) =>
        i.exposure === 'internet' ? (
          <Badge tone="warning">{EXPOSURE_LABELS.internet}</Badge>
        ) : (
          EXPOSURE_LABELS[i.exposure]
        ),
    },
    {
      key: 'source',
      header: 'Origine',
      render: (i) =>
        i.source === 'catalogue'
          ? `Service « ${i.serviceName ?? 'du catalogue'} »`
          : 'Saisi par la structure',
    },
  ];
  if (canEdit) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      render: (i) =>
        i.source === 'member' ? (
          <Button
            variant="secondary"
            small
            onClick={() => setDialog({ item: i })}
            aria-label={`Modifier « ${i.name} »`}
          >
            Modifier
          </Button>
        ) : (
          <span className="muted">Tenu par l’opérateur</span>
        ),
    });
  }
  return (
    <>
      <div className="page-header">
        <p>
          Exporter l’inventaire : <a href={inventoryExportUrl(memberId, 'csv')}>format CSV</a>,{' '}
          <a href={inventoryExportUrl(memberId, 'xlsx')}>format Excel (XLSX)</a>
        </p>
        {canEdit && <Button onClick={() => setDialog({})}>Ajouter un équipement ou un logiciel</Button>}
      </div>
      {inventory.data && (
        <Table
          caption="Inventaire par type"
          rows={inventory.data.summary.byKind}
          rowKey={(k) => k.kind}
          columns={[
            {
              key: 'kind',
              header: 'Type',
              rowHeader: true,
              render: (k) => ASSET_KIND_LABELS[k.kind as AssetKind],
            },
            { key: 'count', header: 'Nombre', numeric: true, render: (k) => formatNumber(k.count) },
          ]}
        />
      )}
      <form
        className="filters"
        aria-label="Filtrer l’inventaire"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(typed.trim());
        }}
      >
        <SelectField
          label="Type"
          placeholder="Tous"
          options={optionsOf(ASSET_KIND_LABELS, ASSET_KINDS)}
          value={kind}
          onChange={(e) => setKind(e.target.value)}
        />
        <TextField label="Nom, éditeur ou produit" value={typed} onChange={(e) => setTyped(e.target.value)} />
        <div className="actions">
          <Button type="submit" variant="secondary">
            Rechercher
          </Button>
        </div>
      </form>
      <QueryView query={inventory} loadingLabel="Chargement de l’inventaire…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              {kind || q
                ? 'Aucune ligne ne correspond à ces critères.'
                : 'L’inventaire est vide : ajoutez vos serveurs, logiciels et sites, ou importez un fichier CSV.'}
            </EmptyState>
          ) : (
            <>
              <p role="status">{countOf(page.total, 'ligne', 'lignes')}</p>
              <Table
                caption="Équipements et logiciels"
                columns={columns}
                rows={page.items}
                rowKey={(i) => i.id}
              />
              <Pagination
                label="Pagination de l’inventaire"
                pageIndex={pages.pageIndex}
                pageSize={INVENTORY_PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
      {dialog && (
        <InventoryItemDialog memberId={memberId} item={dialog.item} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
