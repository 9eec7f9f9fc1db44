import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { EXPOSURE_STATE_LABELS, EXPOSURE_STATES } from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import {
  EmptyState,
  formatDate,
  formatNumber,
  optionsOf,
  Pagination,
  QueryView,
  SelectField,
  Table,
  today,
  useCursorPages,
} from '../../../ui/index.js';
import { ADVISORIES_PAGE_SIZE, type MemberAdvisory, useMemberAdvisories } from '../api.js';
import { dueText } from '../clocks.js';
import { ExposureBadge, SeverityBadge } from '../components.js';

function AdvisoryLink({
  memberId,
  advisory,
  asOperator,
}: {
  memberId: string;
  advisory: MemberAdvisory;
  asOperator: boolean;
}) {
  const label = `${advisory.reference} — ${advisory.title}`;
  return asOperator ? (
    <Link
      to="/operateur/cyber/adherents/$memberId/avis/$advisoryId"
      params={{ memberId, advisoryId: advisory.id }}
    >
      {label}
    </Link>
  ) : (
    <Link to="/espace/cyber/avis/$advisoryId" params={{ advisoryId: advisory.id }}>
      {label}
    </Link>
  );
}

/** The advisories affecting one member (never the others'), with its state for each and the due date. */
export function MemberAdvisoriesView({ memberId, asOperator }: { memberId: string; asOperator: boolean }) {
  const [state, setState] = useState('');
  const pages = useCursorPages(state);
  const advisories = useMemberAdvisories(memberId, state || undefined, pages.cursor);
  const day = today();
  return (
    <>
      <div className="filters">
        <SelectField
          label="État du traitement"
          placeholder="Tous"
          options={optionsOf(EXPOSURE_STATE_LABELS, EXPOSURE_STATES)}
          value={state}
          onChange={(e) => setState(e.target.value)}
        />
      </div>
      <QueryView query={advisories} loadingLabel="Chargement des avis…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              {state
                ? 'Aucun avis dans cet état.'
                : 'Aucun avis de sécurité ne concerne les équipements et logiciels de l’inventaire.'}
            </EmptyState>
          ) : (
            <>
              <p role="status">{countOf(page.total, 'avis concerne', 'avis concernent')} la structure</p>
              <Table
                caption="Avis de sécurité concernant la structure"
                rows={page.items}
                rowKey={(a) => a.id}
                columns={[
                  {
                    key: 'title',
                    header: 'Avis',
                    rowHeader: true,
                    render: (a) => <AdvisoryLink memberId={memberId} advisory={a} asOperator={asOperator} />,
                  },
                  {
                    key: 'severity',
                    header: 'Gravité',
                    render: (a) => <SeverityBadge severity={a.severity} />,
                  },
                  { key: 'state', header: 'État', render: (a) => <ExposureBadge state={a.state} /> },
                  {
                    key: 'assets',
                    header: 'Équipements traités',
                    numeric: true,
                    render: (a) => `${formatNumber(a.remediatedAssets)} sur ${formatNumber(a.assets)}`,
                  },
                  {
                    key: 'due',
                    header: 'Échéance',
                    render: (a) =>
                      a.state === 'remediated' ? (
                        formatDate(a.dueOn)
                      ) : (
                        <span className={a.state === 'overdue' ? 'cyber-overdue' : undefined}>
                          {formatDate(a.dueOn)} ({dueText(a.dueOn, day)})
                        </span>
                      ),
                  },
                ]}
              />
              <Pagination
                label="Pagination des avis"
                pageIndex={pages.pageIndex}
                pageSize={ADVISORIES_PAGE_SIZE}
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
    </>
  );
}
