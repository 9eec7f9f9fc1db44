import { useNavigate } from '@tanstack/react-router';
import { Button, Form, ModalDialog, TextField } from '../../../ui/index.js';
import { useCreateProcessing } from '../api.js';
import type { RegistryScope } from '../scope.js';

export function NewProcessingDialog({ scope, onClose }: { scope: RegistryScope; onClose: () => void }) {
  const create = useCreateProcessing(scope.memberId);
  const navigate = useNavigate();
  return (
    <ModalDialog title="Nouveau traitement" isOpen onOpenChange={(open) => !open && onClose()}>
      <Form
        id="nouveau-traitement"
        error={create.error}
        onSubmit={(data) => {
          const name = String(data.get('name') ?? '').trim();
          create.mutate(
            { name },
            {
              onSuccess: (p) => {
                onClose();
                if (scope.area === 'member')
                  navigate({ to: '/espace/rgpd/traitements/$processingId', params: { processingId: p.id } });
                else
                  navigate({
                    to: '/operateur/rgpd/adherents/$memberId/traitements/$processingId',
                    params: { memberId: scope.memberId, processingId: p.id },
                  });
              },
            },
          );
        }}
      >
        <TextField name="name" label="Nom du traitement" required autoFocus />
        <p className="field__hint">La fiche est créée en brouillon ; vous la complétez ensuite.</p>
        <div className="form-actions">
          <Button type="submit" pending={create.isPending}>
            Créer la fiche
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}
