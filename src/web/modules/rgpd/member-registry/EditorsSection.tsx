import { errorMessage } from '../../../app/api.js';
import { QueryView } from '../../../ui/index.js';
import { useOrganisationUsers } from '../../accounts/api.js';
import { useRgpdEditors, useSetRgpdEditor } from '../api.js';
import { Checkbox } from '../components.js';

/**
 * The member's admins always edit the registry; other users may be given the RGPD role here (by a
 * member admin or the DPO), which lets them edit the registry, requests and breaches.
 */
export function EditorsSection({ memberId }: { memberId: string }) {
  const users = useOrganisationUsers({ organisationId: memberId, isOperator: false }, undefined);
  const editors = useRgpdEditors(memberId);
  const setEditor = useSetRgpdEditor(memberId);
  const editorIds = new Set((editors.data?.items ?? []).map((e) => e.userId));
  return (
    <section aria-labelledby="editeurs-titre">
      <h2 id="editeurs-titre">Rôle RGPD</h2>
      <p>Les administrateurs de la structure modifient toujours le registre.</p>
      <QueryView query={users} loadingLabel="Chargement des utilisateurs…">
        {(page) => {
          const others = page.items.filter((u) => u.role !== 'admin' && u.isActive);
          if (others.length === 0) return <p className="muted">Aucun autre utilisateur dans la structure.</p>;
          return (
            <fieldset>
              <legend>Utilisateurs autorisés à tenir le registre</legend>
              {others.map((u) => (
                <Checkbox
                  key={u.userId}
                  label={`${u.displayName || u.email} (${u.email})`}
                  checked={
                    setEditor.isPending && setEditor.variables?.userId === u.userId
                      ? setEditor.variables.editor
                      : editorIds.has(u.userId)
                  }
                  onChange={(editor) => {
                    if (!setEditor.isPending && !editors.isPending)
                      setEditor.mutate({ userId: u.userId, editor });
                  }}
                />
              ))}
            </fieldset>
          );
        }}
      </QueryView>
      {setEditor.isError && (
        <p className="field__error" role="alert">
          {errorMessage(setEditor.error)}
        </p>
      )}
    </section>
  );
}
