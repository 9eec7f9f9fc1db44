import { z } from 'zod';
import { CONTACT_ROLES, MEMBER_KINDS, MEMBERSHIP_STATUSES } from './members.js';

/** Beyond this many data lines an import is refused: split the file. */
export const MEMBER_IMPORT_MAX_LINES = 20_000;
/** How many normalised lines the dry run shows. */
export const MEMBER_IMPORT_PREVIEW_SIZE = 20;

/**
 * The columns a file may carry, in the order of the template, with the header each is written with.
 * Other spellings are accepted (see the server's aliases); these are the ones the template uses.
 */
export const MEMBER_IMPORT_COLUMNS = [
  { field: 'kind', header: 'type', required: true },
  { field: 'name', header: 'nom', required: false },
  { field: 'siren', header: 'siren', required: true },
  { field: 'siret', header: 'siret', required: false },
  { field: 'communeCode', header: 'code insee', required: false },
  { field: 'epciCode', header: 'code epci', required: false },
  { field: 'departementCode', header: 'département', required: false },
  { field: 'address', header: 'adresse', required: false },
  { field: 'postalCode', header: 'code postal', required: false },
  { field: 'city', header: 'commune', required: false },
  { field: 'population', header: 'population', required: false },
  { field: 'status', header: 'statut', required: false },
  { field: 'parentSiren', header: 'structure parente (siren)', required: false },
  { field: 'contactLastName', header: 'contact nom', required: false },
  { field: 'contactFirstName', header: 'contact prénom', required: false },
  { field: 'contactRole', header: 'contact rôle', required: false },
  { field: 'contactEmail', header: 'contact email', required: false },
  { field: 'contactPhone', header: 'contact téléphone', required: false },
] as const;
export type MemberImportField = (typeof MEMBER_IMPORT_COLUMNS)[number]['field'];

export const memberImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false', '1', '0'], { message: 'dryRun vaut true ou false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1')
    .describe('true : vérifier le fichier sans rien enregistrer'),
});

/**
 * One problem in the file. `line` is the row number a spreadsheet shows (the header is line 1);
 * `column` is the header as written in the file, null when the problem concerns the whole line or file.
 */
export const memberImportIssueSchema = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
});
export type MemberImportIssue = z.infer<typeof memberImportIssueSchema>;

export const memberImportContactSchema = z.object({
  role: z.enum(CONTACT_ROLES),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});

/** A valid line as it will be recorded, after defaults from official data. */
export const memberImportLineSchema = z.object({
  line: z.number().int(),
  kind: z.enum(MEMBER_KINDS),
  epciType: z.string().nullable(),
  name: z.string(),
  siren: z.string(),
  siret: z.string().nullable(),
  communeCode: z.string().nullable(),
  epciCode: z.string().nullable(),
  departementCode: z.string().nullable(),
  address: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  population: z.number().int().nullable(),
  status: z.enum(MEMBERSHIP_STATUSES),
  parentSiren: z.string().nullable(),
  contact: memberImportContactSchema.nullable(),
});
export type MemberImportLine = z.infer<typeof memberImportLineSchema>;

export const memberImportReportSchema = z.object({
  dryRun: z.literal(true),
  /** Data lines, blank rows excluded. */
  totalLines: z.number().int(),
  validLines: z.number().int(),
  errors: z.array(memberImportIssueSchema),
  warnings: z.array(memberImportIssueSchema),
  preview: z.array(memberImportLineSchema),
});
export type MemberImportReport = z.infer<typeof memberImportReportSchema>;

export const memberImportCommittedSchema = z.object({
  dryRun: z.literal(false),
  created: z.number().int(),
});

export type MemberImportCommitted = z.infer<typeof memberImportCommittedSchema>;

export const memberImportResponseSchema = z.discriminatedUnion('dryRun', [
  memberImportReportSchema,
  memberImportCommittedSchema,
]);
export type MemberImportResponse = z.infer<typeof memberImportResponseSchema>;

/** The 422 answer of a refused commit: a problem document that also carries the full report. */
export const memberImportRefusedSchema = memberImportReportSchema.omit({ dryRun: true }).extend({
  type: z.string(),
  status: z.number().int(),
  title: z.string(),
  detail: z.string(),
  dryRun: z.literal(false),
});
