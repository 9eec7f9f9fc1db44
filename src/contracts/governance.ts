import { z } from 'zod';
import { INT4_MAX, isoDate, isoInstant, listOf } from './common.js';

/**
 * Governance (issue 12): assemblies of the operator and of its members, their seats and colleges,
 * sessions with their agenda, convocations (jours francs), attendance and quorum, votes, and the
 * deliberations (acts of nature DE) adopted items become. Shared by the server and the web app.
 */

// Enums and labels -------------------------------------------------------------------------------

/** The operator's comité syndical and bureau; a member's councils (a member syndicat has a comité too). */
export const ASSEMBLY_KINDS = [
  'comite_syndical',
  'bureau',
  'conseil_municipal',
  'conseil_communautaire',
  'conseil_administration',
] as const;
export type AssemblyKind = (typeof ASSEMBLY_KINDS)[number];
export const ASSEMBLY_KIND_LABELS: Record<AssemblyKind, string> = {
  comite_syndical: 'Comité syndical',
  bureau: 'Bureau',
  conseil_municipal: 'Conseil municipal',
  conseil_communautaire: 'Conseil communautaire',
  conseil_administration: "Conseil d'administration",
};

export const SEAT_KINDS = ['titular', 'substitute'] as const;
export type SeatKind = (typeof SEAT_KINDS)[number];
export const SEAT_KIND_LABELS: Record<SeatKind, string> = {
  titular: 'Titulaire',
  substitute: 'Suppléant',
};

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused', 'represented'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ATTENDANCE_STATUS_LABELS: Record<AttendanceStatus, string> = {
  present: 'Présent',
  absent: 'Absent',
  excused: 'Excusé',
  represented: 'Représenté (pouvoir donné)',
};

/** planned (agenda being written) → convened (convocations sent) → held (sitting opened) → closed. */
export const SESSION_STATUSES = ['planned', 'convened', 'held', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const SESSION_STATUS_LABELS: Record<SessionStatus, string> = {
  planned: 'En préparation',
  convened: 'Convoquée',
  held: 'En cours',
  closed: 'Close',
};

/** A vote per person (named vote, weighted votes). `not_voting`: present but not taking part. */
export const VOTE_CHOICES = ['for', 'against', 'abstention', 'not_voting'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export const VOTE_CHOICE_LABELS: Record<VoteChoice, string> = {
  for: 'Pour',
  against: 'Contre',
  abstention: 'Abstention',
  not_voting: 'Ne prend pas part au vote',
};

export const ITEM_STATUSES = ['pending', 'adopted', 'rejected'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  pending: 'À voter',
  adopted: 'Adopté',
  rejected: 'Rejeté',
};

/**
 * A platform decision an item is bound to, executed once when the item is adopted, never on
 * rejection: accept a pending membership request, adopt a year's tariffs, record a member's withdrawal
 * (only on the operator's comité syndical), or adopt the procès-verbal of an earlier closed session of
 * the same assembly (any assembly).
 */
export const BOUND_DECISION_KINDS = [
  'accept_membership',
  'adopt_pricing',
  'member_withdrawal',
  'adopt_minutes',
] as const;
export type BoundDecisionKind = (typeof BOUND_DECISION_KINDS)[number];
export const BOUND_DECISION_LABELS: Record<BoundDecisionKind, string> = {
  accept_membership: "Accepter une demande d'adhésion",
  adopt_pricing: "Adopter les tarifs d'une année",
  member_withdrawal: "Accepter le retrait d'un adhérent",
  adopt_minutes: "Adopter le procès-verbal d'une séance",
};
/** The decisions only the operator's comité syndical takes (they change the platform's state). */
export const PLATFORM_DECISION_KINDS: readonly BoundDecisionKind[] = [
  'accept_membership',
  'adopt_pricing',
  'member_withdrawal',
];

/**
 * A closed session's procès-verbal: drafted from the record (`draft`), adopted by a vote of a later
 * session of the same assembly (its content then frozen), then published by those who manage the
 * assembly (readable by anyone).
 */
export const MINUTES_STATES = ['draft', 'adopted', 'published'] as const;
export type MinutesState = (typeof MINUTES_STATES)[number];
export const MINUTES_STATE_LABELS: Record<MinutesState, string> = {
  draft: 'Projet',
  adopted: 'Adopté',
  published: 'Publié',
};

/** The name of the catalogue service a member subscribes to for its own assemblies. */
export const CONVOCATIONS_SERVICE_NAME = 'Convocations électroniques des élus';
export const CONVOCATIONS_SERVICE_CODE = 'DEMAT-CONVOCATIONS';

// Shared pieces ----------------------------------------------------------------------------------

const name = (label: string, max = 200) =>
  z.string().trim().min(1, `${label} est obligatoire`).max(max, `${label} compte au plus ${max} caractères`);
const count = z.number().int().min(0).max(INT4_MAX);

export const quorumSchema = z.object({
  /** Titular seats in office on the session's day. */
  inOffice: z.number().int(),
  /** floor(inOffice / 2) + 1; 0 on a second convocation (no quorum required). */
  required: z.number().int(),
  /** Present in person (proxies are not counted). */
  present: z.number().int(),
  reached: z.boolean(),
});
export type Quorum = z.infer<typeof quorumSchema>;

// The procès-verbal --------------------------------------------------------------------------------

export const minutesSchema = z.object({
  state: z.enum(MINUTES_STATES),
  /** When the vote adopting it was recorded (its content frozen then). */
  adoptedAt: z.iso.datetime().nullable(),
  /** The later session that adopted it, and the deliberation of that vote. */
  adoptedBy: z
    .object({ sessionId: z.uuid(), startsAt: z.iso.datetime(), deliberationNumber: z.string().nullable() })
    .nullable(),
  /** SHA-256 (hex) of the adopted PDF, as frozen. */
  sha256: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable(),
});
export type Minutes = z.infer<typeof minutesSchema>;
export const minutesPublishedSchema = z.object({ sessionId: z.uuid(), publishedAt: z.iso.datetime() });
export const publicMinutesParams = z.object({ organisationId: z.uuid(), sessionId: z.uuid() });

// Assemblies, colleges, seats --------------------------------------------------------------------

export const assemblySummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  organisationId: z.uuid(),
  organisationName: z.string(),
  kind: z.enum(ASSEMBLY_KINDS),
  /** Titular seats in office today. */
  inOffice: z.number().int(),
  /** True when the actor may manage it (sessions, seats, attendance, votes). */
  canManage: z.boolean(),
  nextSessionAt: z.iso.datetime().nullable(),
});
export type AssemblySummary = z.infer<typeof assemblySummarySchema>;
export const assemblyListSchema = listOf(assemblySummarySchema);

export const collegeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** Titular seats the statutes give the college. */
  seats: z.number().int(),
  /** Votes each of its delegates carries (1 when the statutes weigh nothing). */
  voteWeight: z.number().int(),
  filled: z.number().int(),
});
export type College = z.infer<typeof collegeSchema>;

export const seatSchema = z.object({
  id: z.uuid(),
  kind: z.enum(SEAT_KINDS),
  fullName: z.string(),
  email: z.string().nullable(),
  userId: z.uuid().nullable(),
  /** The organisation that designated the person (a member for the comité's delegates). */
  designatedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  collegeId: z.uuid().nullable(),
  /** For a substitute: the titular seat they replace. */
  substituteForSeatId: z.uuid().nullable(),
  isChair: z.boolean(),
  /** Prefers a printed convocation. */
  paperConvocation: z.boolean(),
  termStart: z.iso.date(),
  termEnd: z.iso.date().nullable(),
  /** The deliberation of the designating organisation (a document of that member). */
  designationDocument: z.object({ id: z.uuid(), title: z.string() }).nullable(),
  inOffice: z.boolean(),
});
export type Seat = z.infer<typeof seatSchema>;

export const assemblyDetailSchema = assemblySummarySchema.extend({
  colleges: z.array(collegeSchema),
  seats: z.array(seatSchema),
  /** Jours francs of an ordinary convocation for this assembly (5 or 3). */
  convocationDays: z.number().int(),
  /** Its closed sessions whose procès-verbal awaits adoption (what a new agenda item may adopt). */
  minutesToAdopt: z.array(z.object({ sessionId: z.uuid(), startsAt: z.iso.datetime() })),
});
export type AssemblyDetail = z.infer<typeof assemblyDetailSchema>;

export const assemblyInputSchema = z.object({
  organisationId: z.uuid(),
  kind: z.enum(ASSEMBLY_KINDS, { message: "type d'assemblée inconnu" }),
  name: name('Le nom'),
});
export type AssemblyInput = z.infer<typeof assemblyInputSchema>;

export const collegeInputSchema = z.object({
  name: name('Le nom du collège'),
  seats: z.number().int().min(1, 'au moins un siège').max(10_000),
  voteWeight: z.number().int().min(1, 'au moins une voix').max(1000).default(1),
});
export type CollegeInput = z.infer<typeof collegeInputSchema>;

const seatFields = {
  kind: z.enum(SEAT_KINDS, { message: 'titulaire ou suppléant attendu' }),
  fullName: name('Le nom'),
  email: z.string().trim().toLowerCase().max(320).pipe(z.email('adresse électronique invalide')).nullable(),
  userId: z.uuid().nullable().optional(),
  designatedById: z.uuid().nullable().optional(),
  collegeId: z.uuid().nullable().optional(),
  substituteForSeatId: z.uuid().nullable().optional(),
  isChair: z.boolean().optional(),
  paperConvocation: z.boolean().optional(),
  termStart: isoDate,
  termEnd: isoDate.nullable().optional(),
  designationDocumentId: z.uuid().nullable().optional(),
};
export const seatInputSchema = z.object(seatFields);
export type SeatInput = z.infer<typeof seatInputSchema>;
export const seatPatchSchema = z.object(seatFields).partial();
export type SeatPatch = z.infer<typeof seatPatchSchema>;

/**
 * A member designates its delegates to the operator's comité syndical from its own space, with the
 * deliberation that designates them (a document of kind `deliberation` already uploaded).
 */
export const delegateDesignationSchema = z.object({
  designationDocumentId: z.uuid(),
  termStart: isoDate,
  termEnd: isoDate.nullable().optional(),
  delegates: z
    .array(
      z.object({
        kind: z.enum(SEAT_KINDS, { message: 'titulaire ou suppléant attendu' }),
        fullName: name('Le nom'),
        email: seatFields.email,
      }),
    )
    .min(1, 'au moins un délégué')
    .max(20),
});
export type DelegateDesignation = z.infer<typeof delegateDesignationSchema>;
export const delegateDesignationResultSchema = z.object({ seats: z.array(seatSchema) });

// Sessions and agenda ----------------------------------------------------------------------------

export const agendaItemInputSchema = z
  .object({
    title: name("L'intitulé", 499),
    explanatoryNote: z
      .string()
      .trim()
      .max(20_000, 'La note explicative compte au plus 20 000 caractères')
      .default(''),
    /** @CTES classification of the deliberation the item becomes (default 5.2: fonctionnement des assemblées). */
    classification: z
      .string()
      .trim()
      .regex(/^[1-9](\.\d{1,2}){0,4}$/, 'Code de classification attendu (ex. 7.1)')
      .optional(),
    secretBallot: z.boolean().default(false),
    namedVote: z.boolean().default(false),
    decision: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('accept_membership'), memberId: z.uuid() }),
        z.object({ kind: z.literal('member_withdrawal'), memberId: z.uuid() }),
        z.object({ kind: z.literal('adopt_pricing'), year: z.number().int().min(2000).max(2200) }),
        z.object({ kind: z.literal('adopt_minutes'), sessionId: z.uuid() }),
      ])
      .nullable()
      .optional(),
  })
  .refine((item) => !(item.secretBallot && item.namedVote), {
    message: 'Un scrutin secret ne peut pas être un vote nominatif',
    path: ['namedVote'],
  });
export type AgendaItemInput = z.infer<typeof agendaItemInputSchema>;

export const sessionInputSchema = z
  .object({
    startsAt: isoInstant,
    place: name('Le lieu', 300),
    remote: z.boolean().default(false),
    urgent: z.boolean().default(false),
    /** Required when urgent: why the ordinary deadline cannot be kept. */
    urgencyReason: z.string().trim().max(2000).nullable().optional(),
    /** A second convocation after a session without quorum (no quorum required, ≥ 3 days later). */
    secondConvocationOf: z.uuid().nullable().optional(),
    agenda: z.array(agendaItemInputSchema).min(1, "au moins un point à l'ordre du jour").max(200),
  })
  .refine((s) => !s.urgent || (s.urgencyReason ?? '').length > 0, {
    message: "Le motif de l'urgence est obligatoire pour une séance urgente",
    path: ['urgencyReason'],
  });
export type SessionInput = z.infer<typeof sessionInputSchema>;

export const sessionCreatedSchema = z.object({ id: z.uuid(), convocationDueBy: z.iso.date() });

export const decisionSchema = z.object({
  kind: z.enum(BOUND_DECISION_KINDS),
  memberId: z.uuid().nullable(),
  memberName: z.string().nullable(),
  year: z.number().int().nullable(),
  /** For `adopt_minutes`: the earlier session whose procès-verbal the item adopts. */
  session: z.object({ id: z.uuid(), startsAt: z.iso.datetime() }).nullable(),
  /** When the decision was carried out (once, on adoption). */
  executedAt: z.iso.datetime().nullable(),
  label: z.string(),
});

export const voteResultSchema = z.object({
  for: z.number().int(),
  against: z.number().int(),
  abstention: z.number().int(),
  notVoting: z.number().int(),
  /** Votes cast = for + against (abstentions do not count). */
  cast: z.number().int(),
  /** On a tie, the chair's vote decided (never for a secret ballot). */
  chairPrevailed: z.boolean(),
  weighted: z.boolean(),
  votedAt: z.iso.datetime(),
});
export type VoteResult = z.infer<typeof voteResultSchema>;

export const ballotSchema = z.object({
  seatId: z.uuid(),
  fullName: z.string(),
  choice: z.enum(VOTE_CHOICES),
});

/** A document attached to an agenda item (report, annex), downloadable by the session's readers. */
export const itemDocumentSchema = z.object({
  id: z.uuid(),
  itemId: z.uuid(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type ItemDocument = z.infer<typeof itemDocumentSchema>;
export const itemDocumentParams = z.object({ sessionId: z.uuid(), documentId: z.uuid() });
export const linkedDocumentParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'lien invalide'),
  documentId: z.uuid(),
});

export const agendaItemSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  title: z.string(),
  explanatoryNote: z.string(),
  classification: z.string(),
  secretBallot: z.boolean(),
  namedVote: z.boolean(),
  status: z.enum(ITEM_STATUSES),
  decision: decisionSchema.nullable(),
  result: voteResultSchema.nullable(),
  /** Named vote: who voted what (never for a secret ballot). */
  ballots: z.array(ballotSchema),
  /** The deliberation (act of nature DE) of an adopted item. */
  act: z.object({ id: z.uuid(), number: z.string(), publishedAt: z.iso.datetime().nullable() }).nullable(),
  documents: z.array(itemDocumentSchema),
});
export type AgendaItem = z.infer<typeof agendaItemSchema>;

export const sessionSummarySchema = z.object({
  id: z.uuid(),
  assemblyId: z.uuid(),
  assemblyName: z.string(),
  organisationId: z.uuid(),
  startsAt: z.iso.datetime(),
  place: z.string(),
  remote: z.boolean(),
  urgent: z.boolean(),
  urgencyReason: z.string().nullable(),
  secondConvocation: z.boolean(),
  status: z.enum(SESSION_STATUSES),
  /** The last day convocations may be sent (Europe/Paris). */
  convocationDueBy: z.iso.date(),
  convocationsSentAt: z.iso.datetime().nullable(),
  itemCount: z.number().int(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export const sessionListSchema = listOf(sessionSummarySchema);

export const convocationSchema = z.object({
  seatId: z.uuid(),
  fullName: z.string(),
  email: z.string().nullable(),
  seatKind: z.enum(SEAT_KINDS),
  paper: z.boolean(),
  /** Handed to the mail transport. */
  sentAt: z.iso.datetime().nullable(),
  /** The recipient acknowledged receipt through their link. */
  receivedAt: z.iso.datetime().nullable(),
  /** The recipient first opened their link. */
  openedAt: z.iso.datetime().nullable(),
  /** The titular said they cannot attend (their substitute is then convened). */
  unavailableAt: z.iso.datetime().nullable(),
});
export type Convocation = z.infer<typeof convocationSchema>;

export const attendanceEntrySchema = z.object({
  seatId: z.uuid(),
  fullName: z.string(),
  seatKind: z.enum(SEAT_KINDS),
  collegeId: z.uuid().nullable(),
  status: z.enum(ATTENDANCE_STATUSES).nullable(),
  /** For `represented`: the present member holding the proxy. */
  proxySeatId: z.uuid().nullable(),
  /** A substitute sitting for this titular. */
  replacedBySeatId: z.uuid().nullable(),
});
export type AttendanceEntry = z.infer<typeof attendanceEntrySchema>;

export const sessionDetailSchema = sessionSummarySchema.extend({
  assemblyKind: z.enum(ASSEMBLY_KINDS),
  organisationName: z.string(),
  items: z.array(agendaItemSchema),
  quorum: quorumSchema,
  attendance: z.array(attendanceEntrySchema),
  /** Every recipient's convocation for those who manage the assembly; an official sees only theirs. */
  convocations: z.array(convocationSchema),
  canManage: z.boolean(),
  /** The session's version: moves with everything this page shows (its live state's too). */
  revision: z.number().int(),
  closedAt: z.iso.datetime().nullable(),
  /** Closed without quorum: the second convocation prepared for the same agenda. */
  reconvenedAs: z
    .object({ id: z.uuid(), startsAt: z.iso.datetime(), status: z.enum(SESSION_STATUSES) })
    .nullable(),
  /** When the list of its deliberations was published. */
  deliberationsPublishedAt: z.iso.datetime().nullable(),
  /** Its procès-verbal, once the session is closed (null before). */
  minutes: minutesSchema.nullable(),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

/**
 * The sitting's live state (`GET …/sessions/{id}/live`), what officials' pages poll: a few hundred
 * bytes, the same for every reader, `304` while the revision holds.
 */
export const sessionLiveSchema = z.object({
  id: z.uuid(),
  revision: z.number().int(),
  status: z.enum(SESSION_STATUSES),
  quorum: quorumSchema,
  items: z.array(
    z.object({ id: z.uuid(), status: z.enum(ITEM_STATUSES), votedAt: z.iso.datetime().nullable() }),
  ),
});
export type SessionLive = z.infer<typeof sessionLiveSchema>;

export const sessionListQuerySchema = z.object({
  when: z.enum(['upcoming', 'past', 'all']).default('all'),
});

export const convocationsSentSchema = z.object({
  sessionId: z.uuid(),
  /** Recipients queued by this call (already convened ones are not sent twice). */
  queued: z.number().int(),
  alreadySent: z.number().int(),
  /** Recipients without an e-mail address or asking for paper: print the PDF for them. */
  paper: z.number().int(),
});

export const attendanceInputSchema = z.object({
  entries: z
    .array(
      z.object({
        seatId: z.uuid(),
        status: z.enum(ATTENDANCE_STATUSES, { message: 'présent, absent, excusé ou représenté attendu' }),
        proxySeatId: z.uuid().nullable().optional(),
      }),
    )
    .min(1, 'au moins une présence')
    .max(5000),
});
export type AttendanceInput = z.infer<typeof attendanceInputSchema>;
export const attendanceResultSchema = z.object({ quorum: quorumSchema });

/**
 * A vote: the counts (`for`, `against`, `abstention`, optionally `notVoting`), or one ballot per seat
 * (named vote, weighted votes: the server sums the colleges' weights). `chairVote` breaks a tie
 * (refused for a secret ballot).
 */
export const voteInputSchema = z
  .object({
    for: count.optional(),
    against: count.optional(),
    abstention: count.optional(),
    notVoting: count.optional(),
    ballots: z
      .array(z.object({ seatId: z.uuid(), choice: z.enum(VOTE_CHOICES) }))
      .max(5000)
      .optional(),
    chairVote: z.enum(['for', 'against']).nullable().optional(),
  })
  .refine(
    (v) =>
      v.ballots
        ? v.for === undefined && v.against === undefined
        : v.for !== undefined && v.against !== undefined,
    {
      message: 'Indiquez soit les nombres de voix (pour, contre, abstention), soit les votes nominatifs',
      path: ['for'],
    },
  );
export type VoteInput = z.infer<typeof voteInputSchema>;

export const voteOutcomeSchema = z.object({
  itemId: z.uuid(),
  status: z.enum(ITEM_STATUSES),
  result: voteResultSchema,
  actId: z.uuid().nullable(),
  decisionExecuted: z.boolean(),
});
export type VoteOutcome = z.infer<typeof voteOutcomeSchema>;

/** `POST …/sessions/{id}/close`: the sitting closed, and the second convocation prepared if any. */
export const sessionClosedSchema = z.object({
  sessionId: z.uuid(),
  status: z.enum(SESSION_STATUSES),
  quorum: quorumSchema,
  /** Prepared when the quorum was not reached: same agenda, at least 3 days later, no quorum required. */
  secondConvocation: z
    .object({
      id: z.uuid(),
      startsAt: z.iso.datetime(),
      convocationDueBy: z.iso.date(),
      itemCount: z.number().int(),
    })
    .nullable(),
});
export type SessionClosed = z.infer<typeof sessionClosedSchema>;

/** The lists of deliberations an organisation published, session by session (public). */
export const publishedDeliberationsSchema = z.object({
  organisationId: z.uuid(),
  organisationName: z.string(),
  sessions: z.array(
    z.object({
      sessionId: z.uuid(),
      assemblyName: z.string(),
      startsAt: z.iso.datetime(),
      publishedAt: z.iso.datetime(),
      /** The session's procès-verbal once published (adopted by a later session, then published). */
      minutes: z
        .object({ adoptedAt: z.iso.datetime(), publishedAt: z.iso.datetime(), sha256: z.string() })
        .nullable(),
      deliberations: z.array(
        z.object({
          position: z.number().int(),
          title: z.string(),
          actNumber: z.string().nullable(),
          for: z.number().int(),
          against: z.number().int(),
          abstention: z.number().int(),
          votedAt: z.iso.datetime(),
        }),
      ),
    }),
  ),
});
export type PublishedDeliberations = z.infer<typeof publishedDeliberationsSchema>;
export const deliberationsListPublishedSchema = z.object({
  sessionId: z.uuid(),
  publishedAt: z.iso.datetime(),
});
/** Days after the sitting by which its list of deliberations is published (a reminder is sent before). */
export const DELIBERATIONS_LIST_DAYS = 7;

// The recipient's link (public) -----------------------------------------------------------------

export const convocationTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'lien invalide'),
});

export const publicConvocationSchema = z.object({
  fullName: z.string(),
  seatKind: z.enum(SEAT_KINDS),
  assemblyName: z.string(),
  organisationName: z.string(),
  startsAt: z.iso.datetime(),
  place: z.string(),
  remote: z.boolean(),
  urgent: z.boolean(),
  agenda: z.array(
    z.object({
      position: z.number().int(),
      title: z.string(),
      explanatoryNote: z.string(),
      documents: z.array(itemDocumentSchema),
    }),
  ),
  receivedAt: z.iso.datetime().nullable(),
  openedAt: z.iso.datetime(),
  unavailableAt: z.iso.datetime().nullable(),
  /** Whether a titular may still say they cannot attend (before the session). */
  canDeclareUnavailable: z.boolean(),
});
export type PublicConvocation = z.infer<typeof publicConvocationSchema>;

// The official's own space -----------------------------------------------------------------------

export const officialSpaceSchema = z.object({
  seats: z.array(
    z.object({
      seatId: z.uuid(),
      assemblyId: z.uuid(),
      assemblyName: z.string(),
      assemblyKind: z.enum(ASSEMBLY_KINDS),
      organisationId: z.uuid(),
      organisationName: z.string(),
      kind: z.enum(SEAT_KINDS),
      collegeName: z.string().nullable(),
      isChair: z.boolean(),
      /** True for the operator's own assemblies: the operator overview is open to this official. */
      operatorAssembly: z.boolean(),
    }),
  ),
  upcoming: z.array(
    sessionSummarySchema.extend({
      convocation: convocationSchema.pick({ sentAt: true, receivedAt: true, openedAt: true }).nullable(),
    }),
  ),
  deliberations: z.array(
    z.object({
      itemId: z.uuid(),
      sessionId: z.uuid(),
      assemblyName: z.string(),
      sessionStartsAt: z.iso.datetime(),
      title: z.string(),
      status: z.enum(ITEM_STATUSES),
      actId: z.uuid().nullable(),
      actNumber: z.string().nullable(),
      publishedAt: z.iso.datetime().nullable(),
    }),
  ),
});
export type OfficialSpace = z.infer<typeof officialSpaceSchema>;

/** A one-page view of the operator for the comité's officials (and the operator's staff). */
export const operatorOverviewSchema = z.object({
  year: z.number().int(),
  membersTotal: z.number().int(),
  membersByDepartement: z.array(
    z.object({ departement: z.string().nullable(), kind: z.string(), count: z.number().int() }),
  ),
  services: z.array(z.object({ id: z.uuid(), name: z.string(), subscribers: z.number().int() })),
  /** The year's cost pools, in cents. */
  budgetCents: z.number().int(),
  /** What members would pay alone minus what they pay shared, when the pricing model knows it. */
  savingsCents: z.number().int().nullable(),
  pricingAdoptedOn: z.iso.date().nullable(),
});
export type OperatorOverview = z.infer<typeof operatorOverviewSchema>;

// Params -----------------------------------------------------------------------------------------

export const assemblyParams = z.object({ assemblyId: z.uuid() });
export const seatParams = z.object({ assemblyId: z.uuid(), seatId: z.uuid() });
export const sessionParams = z.object({ sessionId: z.uuid() });
export const itemParams = z.object({ sessionId: z.uuid(), itemId: z.uuid() });
export const memberDelegatesParams = z.object({ memberId: z.uuid() });
