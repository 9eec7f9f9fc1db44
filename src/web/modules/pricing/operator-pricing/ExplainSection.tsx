import { useState } from 'react';
import { Button, Form, QueryView, SearchComboBox } from '../../../ui/index.js';
import { searchMembers } from '../../members/api.js';
import { useMemberCosts } from '../api.js';
import { formatCents } from '../money.js';

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
