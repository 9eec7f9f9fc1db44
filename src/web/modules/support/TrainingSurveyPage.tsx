import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import {
  OVERALL_LABELS,
  type SurveyAnswer,
  USEFULNESS_LABELS,
  USEFULNESS_LEVELS,
  type Usefulness,
} from '../../../contracts/support-training.js';
import {
  Alert,
  Button,
  Form,
  formatDate,
  formatDateTime,
  PageTitle,
  QueryView,
  TextAreaField,
} from '../../ui/index.js';
import { surveyCertificateUrl, useAnswerSurvey, useSurvey } from './operator-api.js';
import './support.css';

function Choices({
  name,
  legend,
  options,
  error,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  error?: string;
}) {
  return (
    <fieldset aria-describedby={error ? `avis-${name}-error` : undefined}>
      <legend className="required">{legend}</legend>
      {error && (
        <span className="field__error" id={`avis-${name}-error`}>
          {error}
        </span>
      )}
      <div className="support-choices">
        {options.map((o, i) => (
          <label key={o.value} htmlFor={i === 0 ? `avis-${name}` : `avis-${name}-${o.value}`}>
            <input
              type="radio"
              id={i === 0 ? `avis-${name}` : `avis-${name}-${o.value}`}
              name={name}
              value={o.value}
              aria-invalid={error ? true : undefined}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The attendee's personal link: three questions, answered once, and the certificate of attendance. */
export function TrainingSurveyPage() {
  const { token } = useParams({ from: '/formations/avis/$token' });
  const survey = useSurvey(token);
  const answer = useAnswerSurvey(token);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  return (
    <QueryView query={survey} loadingLabel="Chargement du questionnaire…">
      {(s) => (
        <>
          <PageTitle title={`Votre avis sur la formation « ${s.sessionTitle} »`} />
          <p className="lead">
            {s.name}, vous avez suivi cette formation le {formatDateTime(s.startsAt)}, {s.place}.
          </p>
          {s.certificateAvailable && (
            <p>
              <a href={surveyCertificateUrl(token)}>Télécharger votre attestation de présence (PDF)</a>
            </p>
          )}
          {s.answeredAt ? (
            <Alert type="success" title="Merci pour votre avis">
              <p>
                Votre réponse du {formatDate(s.answeredAt)} est enregistrée. Elle aide à améliorer les
                prochaines sessions.
              </p>
            </Alert>
          ) : (
            <Form
              id="avis"
              error={answer.error}
              clientErrors={clientErrors}
              onSubmit={(data) => {
                const overall = Number(data.get('overall'));
                const usefulness = String(data.get('usefulness') ?? '');
                const errors: Record<string, string> = {};
                if (!overall) errors.overall = 'Donnez une note globale de 1 à 5';
                if (!usefulness) errors.usefulness = 'Dites si la formation vous sera utile';
                setClientErrors(errors);
                if (Object.keys(errors).length > 0) return;
                const body: SurveyAnswer = {
                  overall,
                  usefulness: usefulness as Usefulness,
                  comment: String(data.get('comment') ?? '').trim() || undefined,
                };
                answer.mutate(body);
              }}
            >
              <p>Trois questions, une minute. Vous ne pouvez répondre qu’une fois.</p>
              <Choices
                name="overall"
                legend="Dans l’ensemble, êtes-vous satisfait(e) de la formation ?"
                options={[1, 2, 3, 4, 5].map((n) => ({
                  value: String(n),
                  label: OVERALL_LABELS[n] ?? String(n),
                }))}
                error={clientErrors.overall}
              />
              <Choices
                name="usefulness"
                legend="Ce que vous avez appris vous sera-t-il utile dans votre travail ?"
                options={USEFULNESS_LEVELS.map((u) => ({ value: u, label: USEFULNESS_LABELS[u] }))}
                error={clientErrors.usefulness}
              />
              <TextAreaField
                name="comment"
                label="Un commentaire, une suggestion ? (facultatif)"
                rows={4}
                maxLength={2000}
              />
              <div className="form-actions">
                <Button type="submit" pending={answer.isPending}>
                  Envoyer mon avis
                </Button>
              </div>
            </Form>
          )}
        </>
      )}
    </QueryView>
  );
}
