import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ActNature, ActStatus } from '../../contracts/acts.js';
import { searchKey } from '../../contracts/search.js';
import {
  actClassifications,
  actDocuments,
  actEvents,
  actMessages,
  acts,
} from '../modules/acts/acts.schema.js';
import { mentionLines } from '../modules/acts/publication/stamp.js';
import { prefectureIdentifier } from '../modules/acts/transmission/prefecture-identifier.js';
import {
  FAKE_CLASSIFICATION_DATE,
  FAKE_MATIERES,
} from '../modules/acts/transmission/s2low.fake-classification.js';
import type { ClassificationNode } from '../modules/acts/transmission/s2low.protocol.js';
import { type Db, rowsOf } from '../platform/db/client.js';
import type { ObjectStorage } from '../platform/storage/storage.js';
import { insertRows } from './bulk.js';
import { renderPdf } from './pdf.js';
import { Random } from './random.js';

/**
 * The acts register of the demo (issue 11): La Roche-sur-Yon with two years of council sessions and
 * arrêtés (about 230 acts, most acknowledged by the prefecture and published, a few in error, one with
 * a demande de pièces complémentaires awaiting its answer, one déféré au tribunal administratif, the
 * latest still drafts or ready), Les Sables-d'Olonne with a few months. Real one-page PDFs: the signed
 * act and its published copy carrying the publication mention (written in the page rather than
 * stamped afterwards, which keeps the seed fast). Dated relative to `now`; does nothing when acts
 * exist already.
 */

const LA_ROCHE = '85191';
const LES_SABLES = '85194';
const DAY = 86_400_000;

/** The classification of the fake S²LOW, flattened (`7`, `7.1`, `7.1.2`…). */
export function flattenClassification(nodes: ClassificationNode[], prefix = '', level = 1) {
  const entries: { code: string; label: string; level: number }[] = [];
  for (const node of nodes) {
    const code = prefix ? `${prefix}.${node.code}` : String(node.code);
    entries.push({ code, label: node.label, level });
    if (node.children) entries.push(...flattenClassification(node.children, code, level + 1));
  }
  return entries;
}

/** Subjects of deliberations and arrêtés, with their classification. */
const DELIBERATIONS: [string, string][] = [
  ['7.1.1', 'Budget primitif de l’exercice {year} : adoption'],
  ['7.1.2', 'Décision modificative n° {n} du budget principal'],
  ['7.1.3', 'Compte administratif de l’exercice {prev} : approbation'],
  ['7.2', 'Vote des taux de fiscalité directe locale pour {year}'],
  ['7.3', 'Garantie d’emprunt accordée à Vendée Habitat pour la construction de logements sociaux'],
  ['7.5', 'Subventions aux associations sportives et culturelles : {n}e répartition'],
  ['7.5', 'Subvention exceptionnelle au Centre communal d’action sociale'],
  ['1.1.1', 'Marché de travaux de rénovation énergétique de l’école Pont-Boileau : attribution'],
  ['1.2', 'Délégation de service public du stationnement : rapport annuel du délégataire'],
  ['1.4', 'Convention de groupement de commandes avec La Roche-sur-Yon Agglomération'],
  ['2.1', 'Modification simplifiée n° {n} du plan local d’urbanisme intercommunal'],
  ['2.3', 'Exercice du droit de préemption urbain : immeuble rue Georges-Clemenceau'],
  ['3.1', 'Acquisition d’une parcelle boulevard Louis-Blanc pour l’extension du parc'],
  ['3.2', 'Cession d’un délaissé de voirie rue des Halles'],
  ['3.3', 'Bail emphytéotique pour la maison de quartier de la Vallée-Verte'],
  ['4.1', 'Tableau des emplois : créations et suppressions de postes'],
  ['4.5', 'Régime indemnitaire (RIFSEEP) : mise à jour des plafonds'],
  ['5.2', 'Règlement intérieur du conseil municipal : modification'],
  ['5.3', 'Désignation des représentants au conseil d’administration du lycée Pierre-Mendès-France'],
  ['5.7', 'Rapport d’activité de La Roche-sur-Yon Agglomération : communication'],
  ['8.1', 'Restauration scolaire : tarifs de l’année scolaire {year}-{next}'],
  ['8.3', 'Programme de réfection de la voirie communale : tranche {n}'],
  ['8.5', 'Opération programmée d’amélioration de l’habitat : avenant à la convention'],
  ['8.8', 'Plan climat : adhésion à la démarche « Territoire engagé transition écologique »'],
  ['8.9', 'Conservatoire à rayonnement départemental : tarifs et règlement des études'],
  ['9.4', 'Vœu relatif au maintien des services publics de proximité'],
];
const ARRETES: [ActNature, string, string][] = [
  ['AR', '6.1', 'Réglementation temporaire de la circulation et du stationnement : {street}'],
  ['AR', '6.1', 'Arrêté permanent de police : marché du samedi place Napoléon'],
  ['AR', '6.4', 'Interdiction de la consommation d’alcool sur la voie publique : secteur {street}'],
  ['AR', '5.5', 'Délégation de signature au directeur général des services'],
  ['AR', '5.4', 'Délégation de fonctions à un adjoint au maire'],
  ['AI', '4.1', 'Nomination stagiaire d’un agent au grade d’adjoint technique'],
  ['AI', '4.2', 'Recrutement d’un agent contractuel pour accroissement temporaire d’activité'],
  ['AI', '2.2', 'Permis de construire : maison individuelle, {street}'],
  ['CC', '1.1.1', 'Marché à procédure adaptée : fourniture de mobilier scolaire'],
  ['CC', '1.4', 'Convention de mise à disposition de locaux à une association'],
];
const STREETS = [
  'rue Georges-Clemenceau',
  'boulevard d’Italie',
  'rue de la République',
  'place Napoléon',
  'rue Joffre',
  'avenue Charles-de-Gaulle',
  'rue des Halles',
  'boulevard Aristide-Briand',
];
const MEMBER_SEEDS: Record<string, number> = { [LA_ROCHE]: 851_910, [LES_SABLES]: 851_940 };

interface Member {
  id: string;
  name: string;
  siren: string;
  departement_code: string | null;
  commune_code: string;
  mayor: string;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

export async function seedActs(db: Db, storage: ObjectStorage, now: Date): Promise<{ acts: number }> {
  const existing = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(*) AS n FROM acts`));
  if (Number(existing[0]?.n ?? 0) > 0) return { acts: 0 };
  const members = rowsOf<Member>(
    await db.execute(sql`
      SELECT o.id, o.name, o.siren, o.departement_code, o.commune_code,
        COALESCE((SELECT c.first_name || ' ' || c.last_name FROM member_contacts c
          WHERE c.member_id = o.id AND c.role = 'maire_president' LIMIT 1), 'Le maire') AS mayor
      FROM organisations o
      WHERE o.kind = 'commune' AND o.commune_code IN (${LA_ROCHE}, ${LES_SABLES})
      ORDER BY o.commune_code`),
  );
  if (members.length === 0) return { acts: 0 };

  const classification = flattenClassification(FAKE_MATIERES);
  const labelOf = new Map(classification.map((e) => [e.code, e.label]));
  const rows: (typeof acts.$inferInsert)[] = [];
  const documents: (typeof actDocuments.$inferInsert)[] = [];
  const events: (typeof actEvents.$inferInsert)[] = [];
  const messages: (typeof actMessages.$inferInsert)[] = [];
  const files: { key: string; data: Buffer }[] = [];
  const classifications: (typeof actClassifications.$inferInsert)[] = [];

  for (const member of members) {
    for (const entry of classification) {
      classifications.push({
        memberId: member.id,
        ...entry,
        classificationDate: FAKE_CLASSIFICATION_DATE,
        fetchedAt: new Date(now.getTime() - 2 * DAY),
      });
    }
    const showcase = member.commune_code === LA_ROCHE;
    const rng = new Random(MEMBER_SEEDS[member.commune_code] ?? 1);
    const months = showcase ? 24 : 5;
    const departement = member.departement_code ?? '85';
    let counter = 0;
    const plans: {
      nature: ActNature;
      code: string;
      subject: string;
      decidedOn: string;
      sessionOn: string | null;
    }[] = [];
    for (let m = months; m >= 0; m--) {
      // One council session a month (a Thursday near the middle), deliberations then arrêtés.
      const session = new Date(now.getTime() - m * 30.4 * DAY - 12 * DAY);
      session.setUTCDate(session.getUTCDate() + ((4 - session.getUTCDay() + 7) % 7));
      if (session.getTime() > now.getTime() - DAY) continue;
      const sessionOn = isoDate(session);
      const year = Number(sessionOn.slice(0, 4));
      const fill = (text: string, n: number) =>
        text
          .replace('{year}', String(year))
          .replace('{prev}', String(year - 1))
          .replace('{next}', String(year + 1))
          .replace('{n}', String(n))
          .replace('{street}', STREETS[rng.int(0, STREETS.length - 1)]);
      const count = showcase ? rng.int(5, 7) : rng.int(2, 3);
      for (let i = 0; i < count; i++) {
        const [code, subject] = DELIBERATIONS[rng.int(0, DELIBERATIONS.length - 1)];
        plans.push({ nature: 'DE', code, subject: fill(subject, i + 1), decidedOn: sessionOn, sessionOn });
      }
      const arretes = showcase ? rng.int(2, 3) : 1;
      for (let i = 0; i < arretes; i++) {
        const [nature, code, subject] = ARRETES[rng.int(0, ARRETES.length - 1)];
        const decided = new Date(session.getTime() + rng.int(2, 20) * DAY);
        if (decided.getTime() > now.getTime() - DAY) continue;
        plans.push({
          nature,
          code,
          subject: fill(subject, i + 1),
          decidedOn: isoDate(decided),
          sessionOn: null,
        });
      }
    }

    plans.forEach((plan, index) => {
      counter++;
      const year = plan.decidedOn.slice(0, 4);
      const prefix = plan.nature === 'DE' ? 'DEL' : plan.nature === 'CC' ? 'CONV' : 'ARR';
      const number = `${prefix}${year}_${String(counter).padStart(3, '0')}`;
      const id = rng.uuid();
      const fromEnd = plans.length - 1 - index;
      const decided = new Date(`${plan.decidedOn}T17:00:00Z`);
      // The latest acts are still being prepared; a few older ones were refused by the tiers.
      let status: ActStatus = 'acknowledged';
      if (fromEnd < 2) status = 'draft';
      else if (fromEnd < 4) status = 'ready';
      else if (showcase && (index % 53 === 7 || index % 71 === 11)) status = 'error';
      const transmitted = status === 'acknowledged' || status === 'error';
      const transmittedAt = transmitted ? new Date(decided.getTime() + 2 * DAY + 3_600_000) : null;
      const acknowledgedAt =
        status === 'acknowledged' ? new Date(decided.getTime() + 2 * DAY + 3 * 3_600_000) : null;
      const prefectureId =
        status === 'acknowledged'
          ? prefectureIdentifier({
              departement,
              siren: member.siren,
              decidedOn: plan.decidedOn,
              number,
              nature: plan.nature,
            })
          : null;
      const published =
        status === 'acknowledged' && (plan.nature === 'DE' || plan.nature === 'AR' || rng.chance(0.5));
      const publishedAt = published ? new Date(decided.getTime() + 3 * DAY + 2 * 3_600_000) : null;
      const signedOn = isoDate(new Date(decided.getTime() + DAY));
      type Votes = Partial<
        Record<'votesMembers' | 'votesPresent' | 'votesFor' | 'votesAgainst' | 'votesAbstention', number>
      >;
      const votes: Votes =
        plan.nature === 'DE'
          ? (() => {
              const membersCount = showcase ? 45 : 33;
              const present = membersCount - rng.int(0, 6);
              const against = rng.chance(0.3) ? rng.int(1, 8) : 0;
              const abstention = rng.chance(0.3) ? rng.int(1, 4) : 0;
              return {
                votesMembers: membersCount,
                votesPresent: present,
                votesFor: present - against - abstention,
                votesAgainst: against,
                votesAbstention: abstention,
              };
            })()
          : {};
      const label = labelOf.get(plan.code) ?? null;
      const lines = [
        { text: member.name.toUpperCase(), bold: true, size: 13 },
        {
          text:
            plan.nature === 'DE'
              ? `Extrait du registre des délibérations du conseil municipal - séance du ${plan.decidedOn}`
              : `Arrêté n° ${number}`,
          gapBefore: 6,
        },
        { text: plan.subject, bold: true, size: 12, gapBefore: 14 },
        { text: `Numéro : ${number} - Matière : ${plan.code} ${label ?? ''}`, gapBefore: 10 },
        {
          text:
            plan.nature === 'DE'
              ? `Membres en exercice : ${votes.votesMembers} - présents : ${votes.votesPresent} - pour : ${votes.votesFor} - contre : ${votes.votesAgainst} - abstentions : ${votes.votesAbstention}`
              : 'Le maire, vu le code général des collectivités territoriales, arrête :',
          gapBefore: 6,
        },
        {
          text: `Fait à ${member.name.replace(/^Commune d[eu]s? /, '')}, le ${signedOn}. ${member.mayor}, maire.`,
          gapBefore: 20,
        },
      ];
      const main = renderPdf(`${number} ${plan.subject}`, lines);
      const mainKey = `acts/${member.id}/${id}/principal.pdf`;
      files.push({ key: mainKey, data: main });
      documents.push({
        id: rng.uuid(),
        memberId: member.id,
        actId: id,
        role: 'main',
        fileName: `${number}.pdf`,
        mediaType: 'application/pdf',
        sizeBytes: main.length,
        sha256: sha256(main),
        storageKey: mainKey,
        createdAt: new Date(decided.getTime() + DAY),
      });
      let publishedFile: Buffer | null = null;
      let publishedKey: string | null = null;
      if (publishedAt) {
        const mention = mentionLines({ publishedAt, prefectureId, acknowledgedAt, memberName: member.name });
        publishedFile = renderPdf(`${number} ${plan.subject}`, [
          ...lines,
          ...mention.map((text, i) => ({ text, size: 8, gapBefore: i === 0 ? 30 : 0 })),
        ]);
        publishedKey = `acts/${member.id}/${id}/publie-${number}.pdf`;
        files.push({ key: publishedKey, data: publishedFile });
      }
      rows.push({
        id,
        memberId: member.id,
        nature: plan.nature,
        classification: plan.code,
        classificationLabel: label,
        classificationDate: FAKE_CLASSIFICATION_DATE,
        number,
        decidedOn: plan.decidedOn,
        subject: plan.subject,
        searchKey: searchKey(`${plan.subject} ${number}`),
        signatoryName: member.mayor,
        signedOn,
        sessionOn: plan.sessionOn,
        transmissionRequired: true,
        notifiedOn:
          plan.nature === 'AI' && status === 'acknowledged'
            ? isoDate(new Date(decided.getTime() + 5 * DAY))
            : null,
        status,
        errorMessage:
          status === 'error'
            ? 'Le fichier principal est signé avec un certificat expiré : signez de nouveau le document.'
            : null,
        transactionId: transmitted ? `demo-${member.commune_code}-${counter}` : null,
        prefectureId,
        transmittedAt,
        acknowledgedAt,
        publishedAt,
        publishedSha256: publishedFile ? sha256(publishedFile) : null,
        publishedStorageKey: publishedKey,
        ...votes,
        createdAt: decided,
        updatedAt: publishedAt ?? acknowledgedAt ?? transmittedAt ?? decided,
      });
      const event = (
        label: string,
        at: Date,
        eventStatus: ActStatus | null,
        actorLabel: string | null = null,
      ) => events.push({ memberId: member.id, actId: id, status: eventStatus, label, at, actorLabel });
      event('Acte créé (brouillon)', decided, 'draft', 'Secrétariat général');
      if (status !== 'draft')
        event('Acte prêt à transmettre', new Date(decided.getTime() + DAY), 'ready', 'Secrétariat général');
      if (transmittedAt) {
        event('Transmission demandée', transmittedAt, 'transmitting', 'Secrétariat général');
        event('Envoyé au tiers de télétransmission', transmittedAt, null, 'Tiers de télétransmission');
      }
      if (status === 'error' && transmittedAt)
        event(
          'Transmission en erreur : le fichier principal est signé avec un certificat expiré',
          new Date(transmittedAt.getTime() + 3_600_000),
          'error',
          'Tiers de télétransmission',
        );
      if (acknowledgedAt)
        event('Accusé de réception de la préfecture', acknowledgedAt, 'acknowledged', 'Préfecture');
      if (publishedAt) event('Publié', publishedAt, null, 'Secrétariat général');
    });

    if (showcase) {
      // A recent deliberation with a demande de pièces complémentaires awaiting its answer, and an
      // older one the prefect referred to the administrative court.
      const acknowledged = rows.filter((r) => r.memberId === member.id && r.status === 'acknowledged');
      const recent = acknowledged.filter((r) => r.nature === 'DE').at(-3);
      const older = acknowledged.filter((r) => r.nature === 'DE').at(-25);
      const message = (
        act: typeof acts.$inferInsert | undefined,
        kind: 'demande_pieces' | 'defere' | 'lettre_observations',
        daysAfter: number,
        label: string,
        body: string,
      ) => {
        if (!act?.id || !act.acknowledgedAt) return;
        const receivedAt = new Date(act.acknowledgedAt.getTime() + daysAfter * DAY);
        if (receivedAt.getTime() > now.getTime()) return;
        const messageId = rng.uuid();
        messages.push({
          id: messageId,
          memberId: member.id,
          actId: act.id,
          externalId: `demo-message-${messageId.slice(0, 8)}`,
          kind,
          receivedAt,
          answerDueOn: kind === 'demande_pieces' ? isoDate(new Date(receivedAt.getTime() + 30 * DAY)) : null,
        });
        const letter = renderPdf(label, [
          { text: 'PRÉFECTURE DE LA VENDÉE', bold: true, size: 13 },
          { text: 'Direction de la citoyenneté et de la légalité', gapBefore: 4 },
          { text: label, bold: true, size: 12, gapBefore: 18 },
          { text: `Acte n° ${act.number} : ${act.subject}`, gapBefore: 10 },
          { text: body, gapBefore: 10 },
        ]);
        const key = `acts/${member.id}/${act.id}/courrier-${messageId}.pdf`;
        files.push({ key, data: letter });
        documents.push({
          id: rng.uuid(),
          memberId: member.id,
          actId: act.id,
          messageId,
          role: 'annex',
          fileName: `${label}.pdf`,
          mediaType: 'application/pdf',
          sizeBytes: letter.length,
          sha256: sha256(letter),
          storageKey: key,
          createdAt: receivedAt,
        });
        events.push({
          memberId: member.id,
          actId: act.id,
          status: null,
          label: `Message de la préfecture : ${label}`,
          at: receivedAt,
          actorLabel: 'Préfecture',
        });
      };
      message(
        recent,
        'demande_pieces',
        1,
        'Demande de pièces complémentaires',
        'Afin d’exercer le contrôle de légalité, je vous prie de me transmettre le rapport de présentation et l’avis de la commission compétente.',
      );
      message(
        older,
        'lettre_observations',
        20,
        "Lettre d'observations",
        'Cette délibération appelle de ma part les observations suivantes ; je vous invite à la retirer.',
      );
      message(
        older,
        'defere',
        50,
        'Déféré au tribunal administratif',
        'En l’absence de retrait, j’ai l’honneur de vous informer que je défère cette délibération au tribunal administratif de Nantes.',
      );
    }
  }

  for (const file of files) await storage.put(file.key, file.data);
  await db.transaction(async (tx) => {
    await insertRows(tx, actClassifications, classifications);
    await insertRows(tx, acts, rows);
    await insertRows(tx, actMessages, messages);
    await insertRows(tx, actDocuments, documents);
    await insertRows(tx, actEvents, events);
  });
  return { acts: rows.length };
}
