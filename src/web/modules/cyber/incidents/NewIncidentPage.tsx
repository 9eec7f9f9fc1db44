import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { INCIDENT_CATEGORIES, INCIDENT_CATEGORY_LABELS } from '../../../../contracts/cyber.js';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { useFieldBinding } from '../../../ui/Form.js';
import {
  Button,
  Form,
  optionsOf,
  PageTitle,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../ui/index.js';
import { toParisLocalInput } from '../../rgpd/format.js';
import { useDeclareIncident } from '../api.js';
import { MemberCyberNav } from '../components.js';
import { readIncidentForm } from '../form-data.js';

/** « Des données personnelles sont-elles touchées ? » as a radio group named by its legend. */
function PersonalDataQuestion() {
  const { id, error } = useFieldBinding('personalData', 'Données personnelles touchées');
  const base = id ?? 'personalData';
  return (
    <fieldset
      className={error ? 'field field--error' : 'field'}
      aria-describedby={error ? `${base}-error` : `${base}-hint`}
    >
      <legend className="label required">Des données personnelles sont-elles touchées ?</legend>
      <span className="field__hint" id={`${base}-hint`}>
        Si oui, une violation de données est inscrite au registre RGPD avec la même heure de découverte : la
        CNIL doit en être notifiée dans les 72 heures si elle présente un risque pour les personnes.
      </span>
      {error && (
        <span className="field__error" id={`${base}-error`}>
          {error}
        </span>
      )}
      {(
        [
          ['yes', 'Oui'],
          ['no', 'Non'],
        ] as const
      ).map(([value, label], i) => (
        <div className="checkbox" key={value}>
          <input
            type="radio"
            id={i === 0 ? base : `${base}-${value}`}
            name="personalData"
            value={value}
            aria-invalid={error ? true : undefined}
          />
          <label htmlFor={i === 0 ? base : `${base}-${value}`}>{label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** A member declares an incident; the clocks and, with personal data, the RGPD breach start at once. */
export function NewIncidentPage() {
  const current = useCurrentOrganisation();
  const declare = useDeclareIncident(current.id);
  const navigate = useNavigate();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <>
      <PageTitle title="Déclarer un incident" />
      <MemberCyberNav />
      <p className="lead">
        Pour {current.name}. En cas d’attaque en cours, isolez d’abord les postes touchés du réseau (sans les
        éteindre), puis déclarez l’incident : l’équipe cybersécurité de l’opérateur est prévenue.
      </p>
      <Form
        id="incident"
        error={declare.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const read = readIncidentForm(data);
          setClientErrors(read.errors);
          if (!read.body) return;
          declare.mutate(read.body, {
            onSuccess: (created) =>
              navigate({ to: '/espace/cyber/incidents/$incidentId', params: { incidentId: created.id } }),
          });
        }}
      >
        <TextField name="title" label="Titre" hint="En quelques mots : « Serveur de fichiers chiffré »." />
        <SelectField
          name="category"
          label="Catégorie"
          placeholder="Choisir…"
          options={optionsOf(INCIDENT_CATEGORY_LABELS, INCIDENT_CATEGORIES)}
          required
        />
        <TextField
          name="detectedAt"
          type="datetime-local"
          label="Détection (date et heure, heure de Paris)"
          hint="Les délais de notification courent à partir de ce moment."
          defaultValue={toParisLocalInput(new Date().toISOString())}
          required
        />
        <TextAreaField
          name="servicesAffected"
          label="Services touchés"
          hint="Séparés par des virgules : « messagerie, état civil, site internet »."
          rows={2}
        />
        <PersonalDataQuestion />
        <TextAreaField name="description" label="Ce qui s’est passé" rows={4} />
        <div className="form-actions">
          <Button type="submit" pending={declare.isPending}>
            Déclarer l’incident
          </Button>
        </div>
      </Form>
    </>
  );
}
