import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import {
  DIAGNOSTIC_ANSWER_LABELS,
  DIAGNOSTIC_ANSWERS,
  type DiagnosticQuestionnaire,
} from '../../../../contracts/cyber.js';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { useFieldBinding } from '../../../ui/Form.js';
import { Button, Form, PageTitle, QueryView, TextField } from '../../../ui/index.js';
import { useCreateDiagnostic, useQuestionnaire } from '../api.js';
import { MemberCyberNav } from '../components.js';
import { answerField, readDiagnosticForm } from '../diagnostic-data.js';

type Question = DiagnosticQuestionnaire['themes'][number]['questions'][number];

/** One question: a fieldset whose legend is the question, four radio buttons, its help as a hint. */
function QuestionField({ question, number }: { question: Question; number: number }) {
  const name = answerField(question.id);
  const { id, error } = useFieldBinding(name, `Question ${number}`);
  const base = id ?? name;
  return (
    <fieldset
      className={error ? 'cyber-question cyber-question--error' : 'cyber-question'}
      aria-describedby={[`${base}-hint`, error ? `${base}-error` : null].filter(Boolean).join(' ')}
    >
      <legend>
        {number}. {question.text}
      </legend>
      <span className="field__hint" id={`${base}-hint`}>
        {question.help}
      </span>
      {error && (
        <span className="field__error" id={`${base}-error`}>
          {error}
        </span>
      )}
      <div className="cyber-question__answers">
        {DIAGNOSTIC_ANSWERS.map((answer, i) => {
          const inputId = i === 0 ? base : `${base}-${answer}`;
          return (
            <label key={answer} htmlFor={inputId}>
              <input
                type="radio"
                id={inputId}
                name={name}
                value={answer}
                aria-invalid={error ? true : undefined}
              />
              {DIAGNOSTIC_ANSWER_LABELS[answer]}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

function Questionnaire({
  questionnaire,
  memberId,
}: {
  questionnaire: DiagnosticQuestionnaire;
  memberId: string;
}) {
  const create = useCreateDiagnostic(memberId);
  const navigate = useNavigate();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  let number = 0;
  return (
    <Form
      id="diagnostic"
      error={create.error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        const read = readDiagnosticForm(data, questionnaire);
        setClientErrors(read.errors);
        if (Object.keys(read.errors).length > 0) return;
        create.mutate(
          { answers: read.answers, respondents: read.respondents },
          {
            onSuccess: (diagnostic) =>
              navigate({
                to: '/espace/cyber/diagnostics/$diagnosticId',
                params: { diagnosticId: diagnostic.id },
              }),
          },
        );
      }}
    >
      {questionnaire.themes.map((theme) => (
        <section key={theme.theme} className="cyber-theme" aria-labelledby={`theme-${theme.theme}`}>
          <h2 id={`theme-${theme.theme}`}>{theme.label}</h2>
          {theme.questions.map((q) => {
            number += 1;
            return <QuestionField key={q.id} question={q} number={number} />;
          })}
        </section>
      ))}
      <TextField
        name="respondents"
        label="Qui a répondu ?"
        hint="Facultatif : « DGS et secrétaire de mairie », « prestataire informatique »…"
      />
      <div className="form-actions">
        <Button type="submit" pending={create.isPending}>
          Enregistrer et voir les résultats
        </Button>
      </div>
    </Form>
  );
}

/** The questionnaire, theme by theme; every question answered, « Je ne sais pas » included. */
export function NewDiagnosticPage() {
  const current = useCurrentOrganisation();
  const questionnaire = useQuestionnaire();
  return (
    <>
      <PageTitle title="Nouveau diagnostic">Nouveau diagnostic : {current.name}</PageTitle>
      <MemberCyberNav />
      <p className="lead">
        Répondez à chaque question pour la structure telle qu’elle est aujourd’hui. « Je ne sais pas » compte
        comme « Non » dans le score : c’est déjà un point à vérifier.
      </p>
      <QueryView query={questionnaire} loadingLabel="Chargement du questionnaire…">
        {(q) => <Questionnaire questionnaire={q} memberId={current.id} />}
      </QueryView>
    </>
  );
}
