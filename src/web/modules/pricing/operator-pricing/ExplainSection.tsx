import { useState } from 'react';
import type { MemberSummary } from '../../../../contracts/members.js';
import { api, type Page } from '../../../app/api.js';
import { Button, Form, QueryView, SearchComboBox } from '../../../ui/index.js';
import { useMemberCosts } from '../api.js';
import { formatCents } from '../money.js';

async function searchMembers(text: string) {
  const page = await api.get<Page<MemberSummary>>('/api/v1/members', { q: text, limit: 20 });
  return page.items.map((m) => ({
    id: m.id,
    label: `${m.name}${m.departementCode ? ` (${m.departementCode})` : ''}`,
  }));
}

export function ExplainSection({ year, serviceId }: { year: number; serviceId: string }) {
  const [memberId, setMemberId] = useState<string | undefined>();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const costs = useMemberCosts(memberId, year);
  const line = costs.data?.lines.find((l) => l.serviceId === serviceId);
  return (
    <section aria-labelledby="explication-titre">
      <h3 id="explication-titre">Expliquer le montant d'un adhérent</h3>
      <Form
        id="explication"
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const id = String(data.get('memberId') ?? '');
          setClientErrors(id ? {} : { memberId: 'Choisissez une structure dans la liste.' });
          if (id) setMemberId(id);
        }}
      >
        <SearchComboBox
          name="memberId"
          label="Structure"
          hint="Tapez au moins 2 caractères du nom puis choisissez dans la liste"
          search={searchMembers}
          queryKey="pricing-members"
        />
        <Button type="submit" variant="secondary">
          Expliquer
        </Button>
      </Form>
      <div aria-live="polite">
        {memberId && (
          <QueryView query={costs} loadingLabel="Calcul en cours…">
            {(c) =>
              line ? (
                <div className="card">
                  <p>
                    <strong>
                      {c.memberName} : {formatCents(line.shareCents)}
                    </strong>
                    {line.aloneCents != null && ` (seule : ${formatCents(line.aloneCents)})`}
                  </p>
                  <ol>
                    {line.explanationLines.map((text, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: ordered steps of fixed text
                      <li key={i}>{text}</li>
                    ))}
                  </ol>
                </div>
              ) : (
                <p>
                  {c.memberName} n'est pas abonnée à ce service en {year}.
                </p>
              )
            }
          </QueryView>
        )}
      </div>
    </section>
  );
}
