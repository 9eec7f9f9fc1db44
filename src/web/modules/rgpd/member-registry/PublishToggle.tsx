import { errorMessage } from '../../../app/api.js';
import { type ProcessingSummary, usePublishProcessing } from '../api.js';
import { Checkbox } from '../components.js';
import type { RegistryScope } from '../scope.js';

export function PublishToggle({
  scope,
  p,
  disabled,
}: {
  scope: RegistryScope;
  p: ProcessingSummary;
  disabled: boolean;
}) {
  const publish = usePublishProcessing(scope.memberId);
  // Show the requested state until the saved version has been read back.
  const sent = publish.variables;
  const isPublic =
    sent && (publish.isPending || (publish.isSuccess && sent.version === p.version))
      ? sent.isPublic
      : p.isPublic;
  return (
    <>
      <Checkbox
        label={
          <>
            {isPublic ? 'Publié' : 'Non publié'}
            <span className="sr-only"> : publier « {p.name} » sur la page publique</span>
          </>
        }
        checked={isPublic}
        disabled={disabled}
        onChange={(next) => {
          // Not disabled while saving: a disabled box would drop the keyboard focus.
          if (!publish.isPending) publish.mutate({ id: p.id, isPublic: next, version: p.version });
        }}
      />
      {publish.isError && (
        <span className="field__error" role="alert">
          {errorMessage(publish.error)}
        </span>
      )}
    </>
  );
}
