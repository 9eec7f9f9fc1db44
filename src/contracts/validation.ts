/**
 * One French error map for validation, shared by the server (installed once with `z.config`, so the
 * problem+json answers carry it) and the web forms (which check the same contracts before sending):
 * zod's issues become sentences that name the field (« Le SIREN est obligatoire »,
 * « Le nom compte au plus 200 caractères ») when the field is known, short fragments otherwise
 * (« texte attendu »), which the forms put after the field's label.
 */
import { z } from 'zod';
import { plural, The } from './french.js';

export interface FieldNoun {
  /** How a sentence names the field: « SIREN », « commune », « adresse électronique ». */
  noun: string;
  feminine?: boolean;
}

/** The fields the forms share, by their last path segment. */
export const FIELD_NOUNS: Record<string, FieldNoun> = {
  siren: { noun: 'SIREN' },
  siret: { noun: 'SIRET' },
  operatorSiret: { noun: 'SIRET' },
  communeCode: { noun: 'commune', feminine: true },
  epciCode: { noun: 'EPCI' },
  departementCode: { noun: 'département' },
  kind: { noun: 'type de structure' },
  name: { noun: 'nom' },
  firstName: { noun: 'prénom' },
  lastName: { noun: 'nom' },
  displayName: { noun: 'nom affiché' },
  email: { noun: 'adresse électronique', feminine: true },
  phone: { noun: 'téléphone' },
  password: { noun: 'mot de passe' },
  address: { noun: 'adresse', feminine: true },
  postalCode: { noun: 'code postal' },
  city: { noun: "commune de l'adresse", feminine: true },
  population: { noun: 'population', feminine: true },
  status: { noun: 'statut' },
  role: { noun: 'rôle' },
  code: { noun: 'code' },
  title: { noun: 'titre' },
  description: { noun: 'description', feminine: true },
  reason: { noun: 'motif' },
  note: { noun: 'note', feminine: true },
  year: { noun: 'exercice' },
  dueOn: { noun: "date d'échéance", feminine: true },
  paidOn: { noun: 'date de paiement', feminine: true },
  amountCents: { noun: 'montant' },
  units: { noun: "nombre d'unités" },
  serviceCode: { noun: 'code service' },
  engagementNumber: { noun: "numéro d'engagement" },
  decisionReference: { noun: 'référence de la décision', feminine: true },
  documentId: { noun: 'document' },
};

/** The field an issue is about: the last textual segment of its path. */
function fieldOf(path: readonly PropertyKey[]): FieldNoun | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'string') return FIELD_NOUNS[segment] ?? null;
  }
  return null;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'un texte',
  number: 'un nombre',
  int: 'un nombre entier',
  bigint: 'un nombre entier',
  boolean: 'oui ou non',
  date: 'une date',
  array: 'une liste',
  object: 'un ensemble de valeurs',
};

type RawIssue = z.core.$ZodRawIssue;

/** `[sentence naming the field, fragment]` for an issue, or null to leave it to zod's French locale. */
function describe(issue: RawIssue): [string, string] | null {
  const field = fieldOf(issue.path ?? []);
  const subject = field ? The(field.feminine ? 'la' : 'le', field.noun) : '';
  const e = field?.feminine ? 'e' : '';
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null || issue.input === '') {
        return [`${subject} est obligatoire`, 'champ obligatoire'];
      }
      const expected = TYPE_NAMES[issue.expected] ?? 'une autre valeur';
      return [`${subject} doit être ${expected}`, `${expected} attendu`];
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        if (min <= 1 && (issue.input === '' || issue.input === undefined)) {
          return [`${subject} est obligatoire`, 'champ obligatoire'];
        }
        const n = `${min} ${plural(min, 'caractère', 'caractères')}`;
        return [`${subject} compte au moins ${n}`, `au moins ${n}`];
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        const n = `${min} ${plural(min, 'élément', 'éléments')}`;
        return [`${subject} compte au moins ${n}`, `au moins ${n}`];
      }
      const bound = issue.inclusive === false ? `supérieur${e} à ${min}` : `au moins égal${e} à ${min}`;
      return [
        `${subject} doit être ${bound}`,
        issue.inclusive === false ? `plus de ${min}` : `au moins ${min}`,
      ];
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') {
        const n = `${max} ${plural(max, 'caractère', 'caractères')}`;
        return [`${subject} compte au plus ${n}`, `au plus ${n}`];
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        const n = `${max} ${plural(max, 'élément', 'éléments')}`;
        return [`${subject} compte au plus ${n}`, `au plus ${n}`];
      }
      const bound = issue.inclusive === false ? `inférieur${e} à ${max}` : `au plus égal${e} à ${max}`;
      return [
        `${subject} doit être ${bound}`,
        issue.inclusive === false ? `moins de ${max}` : `au plus ${max}`,
      ];
    }
    case 'invalid_format': {
      if (issue.format === 'email') {
        return [`${subject} n'est pas une adresse électronique valide`, 'adresse électronique invalide'];
      }
      if (issue.format === 'uuid' || issue.format === 'guid') {
        return [`${subject} n'est pas un identifiant valide`, 'identifiant invalide'];
      }
      if (issue.format === 'date' || issue.format === 'datetime') {
        return [`${subject} n'est pas une date valide`, 'date invalide'];
      }
      if (issue.format === 'url')
        return [`${subject} n'est pas une adresse web valide`, 'adresse web invalide'];
      return [`${subject} n'a pas le format attendu`, 'format invalide'];
    }
    case 'invalid_value':
      return [`${subject} n'est pas une valeur proposée`, 'valeur non proposée'];
    case 'not_multiple_of':
      return [
        `${subject} doit être un multiple de ${String(issue.divisor)}`,
        `multiple de ${String(issue.divisor)} attendu`,
      ];
    case 'unrecognized_keys': {
      const keys = issue.keys.join(', ');
      return [
        `Champ${issue.keys.length > 1 ? 's' : ''} inconnu${issue.keys.length > 1 ? 's' : ''} : ${keys}`,
        `champ inconnu : ${keys}`,
      ];
    }
    default:
      return null;
  }
}

/**
 * zod's error map in French (`z.config({ customError: frenchIssue })`). Messages a schema sets
 * itself take precedence; what this map does not know is left to zod's French locale.
 */
export function frenchIssue(issue: RawIssue): string | undefined {
  const described = describe(issue);
  if (!described) return undefined;
  return fieldOf(issue.path ?? []) ? described[0] : described[1];
}

/**
 * Is this message a whole sentence (it names its field, « Le SIREN est obligatoire »), or a fragment
 * to put after the field's label (« SIREN : champ obligatoire »)? Sentences start with a capital.
 */
export function isSentence(message: string): boolean {
  const first = message.charAt(0);
  return first !== first.toLocaleLowerCase('fr') && first === first.toLocaleUpperCase('fr');
}

/** « Le SIREN est obligatoire », or « siren : champ obligatoire » when the message is a fragment. */
export function describeFieldError(label: string, message: string): string {
  return isSentence(message) ? message : `${label} : ${message}`;
}

/**
 * A zod error's issues keyed by field path (`alonePrices.0.aloneCents`), the first message of each:
 * what the web forms show beside each field. Paths are the schema's, without `body.`.
 */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/**
 * Installs the map once per process or page (server app, web entry): zod's French locale for what the
 * map leaves, the map for the rest.
 */
export function installFrenchErrors(): void {
  z.config({ ...z.locales.fr(), customError: frenchIssue });
}
