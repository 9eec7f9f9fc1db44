import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { countOf } from '../../../contracts/french.js';
import { SEAT_KIND_LABELS } from '../../../contracts/governance.js';
import { useAuth } from '../../app/auth.js';
import {
  Alert,
  Button,
  Form,
  formatDate,
  optionsOf,
  PageTitle,
  QueryView,
  SelectField,
  TextField,
  today,
} from '../../ui/index.js';
import { useDocuments } from '../members/api.js';
import { type DelegatesDesignated, useDelegates, useDesignateDelegates } from './api.js';
import { isMemberAssembliesManager } from './components.js';
import { readDelegatesForm } from './delegates-form-data.js';

/**
 * A member designates its delegates to the operator's comité syndical from its own space: titulars and
 * substitutes, their term, and the deliberation of its council that designates them (one of its documents).
 */
export function DelegatesPage() {
  const auth = useAuth();
  const memberId = auth.current?.id ?? '';
  const canManage = isMemberAssembliesManager(auth);
  const documents = useDocuments(memberId);
  const designate = useDesignateDelegates(memberId);
  const current = useDelegates(memberId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [rows, setRows] = useState([0, 1]);
  const [done, setDone] = useState<DelegatesDesignated | null>(null);
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/espace/assemblees">Assemblées</Link>
          </li>
          <li aria-current="page">Délégués au comité syndical</li>
        </ol>
      </nav>
      <PageTitle title="Délégués au comité syndical" />
      {!canManage ? (
        <Alert type="warning" title="Réservé au référent et aux agents chargés des assemblées">
          <p>Votre rôle ne permet pas de désigner les délégués de la structure.</p>
        </Alert>
      ) : (
        <>
          <p className="lead">
            Le conseil de la structure désigne par délibération ses délégués au comité syndical du syndicat :
            des titulaires et, si les statuts le prévoient, des suppléants. Ils seront convoqués aux séances.
          </p>
          {done && (
            <Alert type="success" live title="Délégués désignés">
              <p>
                {countOf(done.seats.length, 'siège enregistré', 'sièges enregistrés')} au comité syndical :{' '}
                {done.seats
                  .map((s) => `${s.fullName} (${SEAT_KIND_LABELS[s.kind].toLowerCase()})`)
                  .join(', ')}
                .
              </p>
            </Alert>
          )}
          <section aria-labelledby="delegues-actuels-titre">
            <h2 id="delegues-actuels-titre">Délégués en exercice</h2>
            <QueryView query={current} loadingLabel="Chargement des délégués…">
              {(data) => {
                const seats = data.seats.filter((s) => s.inOffice);
                return seats.length === 0 ? (
                  <p>Aucun délégué en exercice.</p>
                ) : (
                  <ul>
                    {seats.map((s) => (
                      <li key={s.id}>
                        {s.fullName} — {SEAT_KIND_LABELS[s.kind].toLowerCase()} depuis le{' '}
                        {formatDate(s.termStart)}
                        {s.termEnd ? `, jusqu'au ${formatDate(s.termEnd)}` : ''}
                      </li>
                    ))}
                  </ul>
                );
              }}
            </QueryView>
          </section>
          <h2>Nouvelle désignation</h2>
          <QueryView query={documents} loadingLabel="Chargement des délibérations de la structure…">
            {(items) => {
              const deliberations = items.filter((d) => d.kind === 'deliberation');
              return (
                <Form
                  id="delegues"
                  error={designate.error}
                  clientErrors={clientErrors}
                  onSubmit={(data, form) => {
                    const { body, errors } = readDelegatesForm(data, rows.length);
                    setClientErrors(errors);
                    if (body) {
                      setDone(null);
                      designate.mutate(body, {
                        onSuccess: (result) => {
                          setDone(result);
                          form.reset();
                        },
                      });
                    }
                  }}
                >
                  <fieldset className="gov-fieldset">
                    <legend>La délibération de désignation</legend>
                    <SelectField
                      name="designationDocumentId"
                      label="Délibération"
                      required
                      placeholder={
                        deliberations.length ? 'Choisir une délibération…' : 'Aucune délibération déposée'
                      }
                      options={deliberations.map((d) => ({
                        value: d.id,
                        label: `${d.title}${d.documentDate ? ` (${formatDate(d.documentDate)})` : ''}`,
                      }))}
                      hint={
                        <>
                          Déposez-la d'abord dans les{' '}
                          <Link to="/espace" search={{ onglet: 'documents' }}>
                            documents de la structure
                          </Link>{' '}
                          (type « Délibération »).
                        </>
                      }
                    />
                    <TextField
                      name="termStart"
                      type="date"
                      label="Début du mandat"
                      required
                      defaultValue={today()}
                    />
                    <TextField
                      name="termEnd"
                      type="date"
                      label="Fin du mandat"
                      hint="Laissez vide si elle n'est pas connue."
                    />
                  </fieldset>
                  {rows.map((row, index) => (
                    <fieldset key={row} className="gov-agenda-item">
                      <legend>Délégué n° {index + 1}</legend>
                      <SelectField
                        name={`delegates.${index}.kind`}
                        label="Siège"
                        options={optionsOf(SEAT_KIND_LABELS)}
                        defaultValue={index === 0 ? 'titular' : 'substitute'}
                      />
                      <TextField
                        name={`delegates.${index}.fullName`}
                        label="Nom et prénom"
                        maxLength={200}
                        autoComplete="off"
                      />
                      <TextField
                        name={`delegates.${index}.email`}
                        type="email"
                        label="Adresse électronique"
                        hint="Les convocations y sont envoyées ; sans adresse, la convocation est imprimée."
                        autoComplete="off"
                      />
                    </fieldset>
                  ))}
                  <p>
                    <Button
                      variant="secondary"
                      onClick={() => setRows((previous) => [...previous, Math.max(...previous) + 1])}
                      disabled={rows.length >= 20}
                    >
                      Ajouter un délégué
                    </Button>
                  </p>
                  <div className="form-actions">
                    <Button type="submit" pending={designate.isPending}>
                      Désigner les délégués
                    </Button>
                  </div>
                </Form>
              );
            }}
          </QueryView>
        </>
      )}
    </>
  );
}
