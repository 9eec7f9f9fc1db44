import { describe, expect, it } from 'vitest';
import { addDays, convocationDueByPreview, readSessionForm } from './session-form-data.js';

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
};

const MEMBER = '0195f3a2-7c1e-7000-8000-000000000001';

describe('the new session form read in the browser', () => {
  it('gives the API body: Paris wall time as an instant, items in order, a bound decision', () => {
    const { body, errors } = readSessionForm(
      form({
        startsAt: '2026-12-14T18:30',
        place: ' Salle du conseil, La Roche-sur-Yon ',
        'agenda.0.title': "Adhésion de la commune d'Aizenay",
        'agenda.0.explanatoryNote': 'La commune a délibéré le 2 novembre.',
        'agenda.0.decisionKind': 'accept_membership',
        'agenda.0.memberId': MEMBER,
        'agenda.1.title': 'Tarifs 2027',
        'agenda.1.decisionKind': 'adopt_pricing',
        'agenda.1.year': '2027',
        'agenda.1.namedVote': 'on',
      }),
      2,
    );
    expect(errors).toEqual({});
    expect(body).toMatchObject({
      // 18:30 in Paris in December is 17:30 UTC.
      startsAt: '2026-12-14T17:30:00.000Z',
      place: 'Salle du conseil, La Roche-sur-Yon',
      remote: false,
      urgent: false,
      urgencyReason: null,
      agenda: [
        {
          title: "Adhésion de la commune d'Aizenay",
          explanatoryNote: 'La commune a délibéré le 2 novembre.',
          decision: { kind: 'accept_membership', memberId: MEMBER },
          namedVote: false,
        },
        {
          title: 'Tarifs 2027',
          explanatoryNote: '',
          decision: { kind: 'adopt_pricing', year: 2027 },
          namedVote: true,
        },
      ],
    });
  });

  it("binds an item to adopting an earlier session's procès-verbal, the session chosen", () => {
    const SESSION = '0195f3a2-7c1e-7000-8000-0000000000aa';
    const base = {
      startsAt: '2026-12-14T18:30',
      place: 'Salle du conseil',
      'agenda.0.title': 'Approbation du procès-verbal',
      'agenda.0.decisionKind': 'adopt_minutes',
    };
    const { body } = readSessionForm(form({ ...base, 'agenda.0.minutesSessionId': SESSION }), 1);
    expect(body?.agenda[0]?.decision).toEqual({ kind: 'adopt_minutes', sessionId: SESSION });
    const missing = readSessionForm(form(base), 1);
    expect(missing.body).toBeNull();
    expect(missing.errors['agenda.0.minutesSessionId']).toBe(
      'Choisissez la séance dont le procès-verbal est adopté',
    );
  });

  it('reads a summer time as UTC+2', () => {
    const { body } = readSessionForm(
      form({
        startsAt: '2026-06-30T09:00',
        place: 'Visioconférence',
        remote: 'on',
        'agenda.0.title': 'Budget',
      }),
      1,
    );
    expect(body?.startsAt).toBe('2026-06-30T07:00:00.000Z');
    expect(body?.remote).toBe(true);
  });

  it('names every missing field in French, items by their position', () => {
    const { body, errors } = readSessionForm(
      form({
        startsAt: '',
        place: ' ',
        urgent: 'on',
        'agenda.0.title': '',
        'agenda.0.decisionKind': 'accept_membership',
        'agenda.1.title': 'Tarifs',
        'agenda.1.decisionKind': 'adopt_pricing',
        'agenda.1.year': 'deux mille',
      }),
      2,
    );
    expect(body).toBeNull();
    expect(errors).toMatchObject({
      startsAt: 'Indiquez la date et l’heure de la séance',
      place: 'Le lieu est obligatoire',
      urgencyReason: "Le motif de l'urgence est obligatoire pour une séance urgente",
      'agenda.0.title': "L'intitulé est obligatoire",
      'agenda.0.memberId': 'Choisissez la structure concernée',
      'agenda.1.year': 'Indiquez l’année des tarifs (ex. 2027)',
    });
  });

  it('refuses a session without any item', () => {
    const { body, errors } = readSessionForm(form({ startsAt: '2026-12-14T18:30', place: 'Mairie' }), 0);
    expect(body).toBeNull();
    expect(errors.agenda).toBe("au moins un point à l'ordre du jour");
  });
});

describe('the convocation deadline shown before the session is created', () => {
  it('leaves 5 jours francs between the sending day and the session day, across a month end', () => {
    // A session on 3 March: 26, 27, 28 Feb, 1, 2 March are the jours francs; send on 25 Feb at the latest.
    expect(convocationDueByPreview('2026-03-03T18:00', 5, false)).toBe('2026-02-25');
    // Leap year: 29 February counts.
    expect(convocationDueByPreview('2028-03-03T18:00', 5, false)).toBe('2028-02-26');
  });

  it('takes 3 jours francs for a small commune and 1 in urgency', () => {
    expect(convocationDueByPreview('2026-12-14T18:30', 3, false)).toBe('2026-12-10');
    expect(convocationDueByPreview('2026-12-14T18:30', 5, true)).toBe('2026-12-12');
  });

  it('says nothing while the date is incomplete', () => {
    expect(convocationDueByPreview('2026-12-14', 5, false)).toBeNull();
    expect(convocationDueByPreview('', 5, false)).toBeNull();
  });

  it('adds days on civil dates, whatever the clock change', () => {
    expect(addDays('2026-03-29', -1)).toBe('2026-03-28');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
