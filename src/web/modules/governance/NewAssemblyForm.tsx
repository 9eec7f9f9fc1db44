import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ASSEMBLY_KIND_LABELS, type AssemblyKind } from '../../../contracts/governance.js';
import { Button, Form, optionsOf, SelectField, TextField } from '../../ui/index.js';
import { useCreateAssembly } from './api.js';
import type { GovernanceArea } from './components.js';

/** The kinds an organisation holds: the operator's comité and bureau, a member's councils. */
const KINDS: Record<'operator' | 'member', AssemblyKind[]> = {
  operator: ['comite_syndical', 'bureau'],
  member: ['conseil_municipal', 'conseil_communautaire', 'conseil_administration', 'comite_syndical'],
};

/** A new assembly of the organisation the person acts for; its seats are added on its page. */
export function NewAssemblyForm({ organisationId, area }: { organisationId: string; area: GovernanceArea }) {
  const create = useCreateAssembly();
  const navigate = useNavigate();
  const kinds = KINDS[area === 'operator' ? 'operator' : 'member'];
  const [kind, setKind] = useState<AssemblyKind>(kinds[0] ?? 'conseil_municipal');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <section aria-labelledby="nouvelle-assemblee-titre">
      <h2 id="nouvelle-assemblee-titre">Créer une assemblée</h2>
      <Form
        id="nouvelle-assemblee"
        error={create.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const name = String(data.get('name') ?? '').trim();
          setClientErrors(name ? {} : { name: 'Le nom est obligatoire' });
          if (!name) return;
          create.mutate(
            { organisationId, kind, name },
            {
              onSuccess: ({ id }) =>
                area === 'operator'
                  ? navigate({ to: '/operateur/assemblees/$assemblyId', params: { assemblyId: id } })
                  : navigate({ to: '/espace/assemblees/$assemblyId', params: { assemblyId: id } }),
            },
          );
        }}
      >
        <SelectField
          name="kind"
          label="Type d'assemblée"
          required
          options={optionsOf(ASSEMBLY_KIND_LABELS, kinds)}
          value={kind}
          onChange={(e) => setKind(e.target.value as AssemblyKind)}
        />
        <TextField
          name="name"
          label="Nom"
          required
          maxLength={200}
          key={kind}
          defaultValue={ASSEMBLY_KIND_LABELS[kind]}
        />
        <div className="form-actions">
          <Button type="submit" pending={create.isPending}>
            Créer l'assemblée
          </Button>
        </div>
      </Form>
    </section>
  );
}
