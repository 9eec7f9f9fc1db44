import { useState } from 'react';
import type { CyberProfileInput } from '../../../contracts/cyber.js';
import { Button, Form, QueryView, TextAreaField, TextField } from '../../ui/index.js';
import { Checkbox } from '../rgpd/components.js';
import { useCyberProfile, useSaveCyberProfile } from './api.js';

/**
 * Whether the member is in the scope of NIS 2 (then an incident starts the 24 h / 72 h / one month
 * clocks) and who receives the advisories besides its admins and référents sécurité.
 */
export function CyberProfileSection({ memberId, canEdit }: { memberId: string; canEdit: boolean }) {
  const profile = useCyberProfile(memberId);
  const save = useSaveCyberProfile(memberId);
  const [editing, setEditing] = useState(false);
  const [nis2, setNis2] = useState<boolean | null>(null);
  return (
    <section aria-labelledby="profil-cyber-titre">
      <h2 id="profil-cyber-titre">Profil de sécurité</h2>
      <QueryView query={profile} loadingLabel="Chargement du profil…">
        {(p) =>
          editing ? (
            <Form
              id="profil-cyber"
              error={save.error}
              onSubmit={(data) => {
                const text = (k: string) => String(data.get(k) ?? '').trim() || null;
                const body: CyberProfileInput = {
                  nis2InScope: nis2 ?? p.nis2InScope,
                  nis2Reason: text('nis2Reason'),
                  securityContactName: text('securityContactName'),
                  securityContactEmail: text('securityContactEmail'),
                };
                save.mutate(body, { onSuccess: () => setEditing(false) });
              }}
            >
              <Checkbox
                name="nis2InScope"
                label="La structure relève de la directive NIS 2 (entité essentielle ou importante)"
                checked={nis2 ?? p.nis2InScope}
                onChange={setNis2}
              />
              <TextAreaField
                name="nis2Reason"
                label="Pourquoi la structure relève (ou non) de NIS 2"
                hint="Obligatoire si elle en relève : taille, activité, désignation par l’ANSSI…"
                defaultValue={p.nis2Reason ?? ''}
              />
              <TextField
                name="securityContactName"
                label="Contact sécurité (nom)"
                defaultValue={p.securityContactName ?? ''}
              />
              <TextField
                name="securityContactEmail"
                type="email"
                label="Contact sécurité (adresse électronique)"
                hint="Reçoit les avis de sécurité avec les référents de la structure."
                defaultValue={p.securityContactEmail ?? ''}
              />
              <div className="form-actions">
                <Button type="submit" pending={save.isPending}>
                  Enregistrer le profil
                </Button>
                <Button variant="secondary" onClick={() => setEditing(false)}>
                  Annuler
                </Button>
              </div>
            </Form>
          ) : (
            <>
              <dl className="dl">
                <dt>Directive NIS 2</dt>
                <dd>
                  {p.nis2InScope
                    ? 'La structure en relève : un incident déclenche les délais de 24 heures, 72 heures et un mois.'
                    : 'La structure n’en relève pas.'}
                  {p.nis2Reason && <span className="muted"> {p.nis2Reason}</span>}
                </dd>
                <dt>Contact sécurité</dt>
                <dd>
                  {p.securityContactName || p.securityContactEmail
                    ? [p.securityContactName, p.securityContactEmail].filter(Boolean).join(' — ')
                    : 'Non renseigné : les avis vont aux référents de la structure.'}
                </dd>
              </dl>
              {canEdit && (
                <Button variant="secondary" onClick={() => setEditing(true)}>
                  Modifier le profil de sécurité
                </Button>
              )}
            </>
          )
        }
      </QueryView>
    </section>
  );
}
