import { z } from 'zod';
import { INT4_MAX } from './common.js';
import { MEMBER_KINDS } from './members.js';

/** A year of the price list (contribution years). */
export const yearSchema = z.coerce
  .number({ message: "l'année doit être un nombre" })
  .int("l'année doit être un nombre entier")
  .min(2000, "l'année doit être comprise entre 2000 et 2100")
  .max(2100, "l'année doit être comprise entre 2000 et 2100");
export const yearParams = z.object({ year: yearSchema });

const cents = (label: string) =>
  z
    .number({ message: `${label} : un nombre entier de centimes est attendu` })
    .int(`${label} : un nombre entier de centimes est attendu`)
    .min(0, `${label} ne peut pas être négatif`)
    .max(Number.MAX_SAFE_INTEGER);

const decimals = (max: number) => (value: number) =>
  Number.isFinite(value) && Math.round(value * 10 ** max) / 10 ** max === value;

export const stratumSchema = z
  .object({
    /** Upper bound of the stratum in inhabitants; null for the last one (« et plus »). */
    upTo: z.number().int('seuil entier attendu').min(0, 'seuil positif attendu').nullable(),
    weight: z
      .number()
      .min(0, 'le poids doit être positif ou nul')
      .refine(decimals(4), 'au plus 4 décimales')
      .optional(),
    fixedCents: cents('Le prix de la tranche').optional(),
  })
  .refine((s) => (s.weight === undefined) !== (s.fixedCents === undefined), {
    message: 'chaque tranche a soit un poids, soit un prix fixe',
  });

/** Mirrors the engine's Rule union (server/modules/pricing/engine/types.ts). */
export const ruleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('equal') }),
    z.object({
      kind: z.literal('strata'),
      strata: z
        .array(stratumSchema)
        .min(1, 'définissez au moins une tranche')
        .max(30, 'au plus 30 tranches')
        .superRefine((strata, ctx) => {
          const fixed = strata[0]?.fixedCents !== undefined;
          strata.forEach((s, i) => {
            if ((s.fixedCents !== undefined) !== fixed) {
              ctx.addIssue({
                code: 'custom',
                path: [i],
                message: 'toutes les tranches ont un poids, ou toutes un prix fixe',
              });
            }
            const last = i === strata.length - 1;
            if (last && s.upTo !== null) {
              ctx.addIssue({
                code: 'custom',
                path: [i, 'upTo'],
                message: 'la dernière tranche est sans limite supérieure (null)',
              });
            }
            if (!last && s.upTo === null) {
              ctx.addIssue({ code: 'custom', path: [i, 'upTo'], message: 'seuil manquant' });
            }
            const previous = strata[i - 1]?.upTo;
            if (
              i > 0 &&
              s.upTo !== null &&
              previous !== null &&
              previous !== undefined &&
              s.upTo <= previous
            ) {
              ctx.addIssue({
                code: 'custom',
                path: [i, 'upTo'],
                message: 'les seuils doivent être croissants',
              });
            }
          });
        }),
    }),
    z.object({
      kind: z.literal('population'),
      floorCents: cents('Le plancher').optional(),
      ceilingCents: cents('Le plafond').optional(),
    }),
    z.object({
      kind: z.literal('fixedVariable'),
      fixedPercent: z
        .number()
        .min(0, 'la part fixe est comprise entre 0 et 100 %')
        .max(100, 'la part fixe est comprise entre 0 et 100 %')
        .refine(decimals(2), 'au plus 2 décimales'),
    }),
    z.object({ kind: z.literal('units'), unitLabel: z.string().trim().min(1).max(60).optional() }),
    z.object({
      kind: z.literal('membershipFee'),
      centsPerInhabitant: z.number().min(0).refine(decimals(4), 'au plus 4 décimales'),
      minimumCents: cents('Le minimum'),
    }),
  ],
  {
    error: () =>
      'règle inconnue : equal, strata, population, fixedVariable, units ou membershipFee sont attendues',
  },
);
export type RuleInput = z.infer<typeof ruleSchema>;

/** Service pools use every rule but the membership fee, which has its own table. */
export const serviceRuleSchema = ruleSchema.refine((r) => r.kind !== 'membershipFee', {
  message: 'la règle de cotisation est réservée à la cotisation d’adhésion',
});

export const RULE_KIND_LABELS: Record<RuleInput['kind'], string> = {
  equal: 'Parts égales',
  strata: 'Tranches de population',
  population: 'Au prorata de la population',
  fixedVariable: 'Part fixe + part variable',
  units: 'Par unité déclarée',
  membershipFee: "Cotisation d'adhésion",
};

export const costPoolInputSchema = z
  .object({
    licencesCents: cents('Licences'),
    hostingCents: cents('Hébergement'),
    staffCents: cents('Personnel'),
    otherCents: cents('Autres charges'),
    rule: serviceRuleSchema,
  })
  .strict();
export type CostPoolInput = z.infer<typeof costPoolInputSchema>;

export const costPoolSchema = z.object({
  serviceId: z.uuid(),
  serviceCode: z.string(),
  serviceName: z.string(),
  year: z.number().int(),
  licencesCents: z.number().int(),
  hostingCents: z.number().int(),
  staffCents: z.number().int(),
  otherCents: z.number().int(),
  poolCents: z.number().int(),
  rule: ruleSchema,
  ruleText: z.string(),
  updatedAt: z.string(),
});
export type CostPool = z.infer<typeof costPoolSchema>;
export const costPoolListSchema = z.object({ year: z.number().int(), items: z.array(costPoolSchema) });

/**
 * How the membership fee of a structure joining during the year is counted: the whole year, from the
 * month it joins (that month included), or from the day it joins (that day included).
 */
export const FEE_PRORATIONS = ['none', 'month', 'day'] as const;
export type FeeProration = (typeof FEE_PRORATIONS)[number];
export const FEE_PRORATION_LABELS: Record<FeeProration, string> = {
  none: 'Année entière, quelle que soit la date d’adhésion',
  month: 'Au prorata des mois, à partir du mois d’adhésion',
  day: 'Au prorata des jours, à partir du jour d’adhésion',
};

export const membershipFeeInputSchema = z
  .object({
    centsPerInhabitant: z
      .number({ message: 'un nombre de centimes par habitant est attendu' })
      .min(0, 'le tarif ne peut pas être négatif')
      .max(1_000_000)
      .refine(decimals(4), 'au plus 4 décimales'),
    minimumCents: cents('Le minimum').max(INT4_MAX, 'Le minimum est trop grand'),
    proration: z
      .enum(FEE_PRORATIONS, { message: 'Le prorata doit être « none », « month » ou « day »' })
      .default('none'),
  })
  .strict();
export const membershipFeeSchema = membershipFeeInputSchema.extend({
  year: z.number().int(),
  ruleText: z.string(),
});
export type MembershipFee = z.infer<typeof membershipFeeSchema>;

export const costSharingQuerySchema = z.object({ serviceId: z.uuid().optional() });
export const costSharingSchema = z.object({
  year: z.number().int(),
  services: z.array(
    z.object({
      serviceId: z.uuid(),
      name: z.string(),
      rule: ruleSchema,
      poolCents: z.number().int(),
      shares: z.array(
        z.object({
          memberId: z.uuid(),
          shareCents: z.number().int(),
          /** The "alone" market price for the member's size, prorated; null when the catalogue has none. */
          aloneCents: z.number().int().nullable(),
        }),
      ),
    }),
  ),
});
export type CostSharing = z.infer<typeof costSharingSchema>;

export const memberCostLineSchema = z.object({
  /** null for the membership fee line. */
  serviceId: z.uuid().nullable(),
  serviceCode: z.string().nullable(),
  serviceName: z.string(),
  months: z.number().int(),
  shareCents: z.number().int(),
  aloneCents: z.number().int().nullable(),
  savingsCents: z.number().int().nullable(),
  /** The computation in plain French, one step per item (rule, parameters, values, rounding, total). */
  explanationLines: z.array(z.string()),
});
/**
 * Services whose pooled share exceeds the stand-alone price for some subscribers: the operator is
 * warned, with the members concerned (the largest excess first; `count` counts them all).
 */
export const aboveAloneSchema = z.object({
  year: z.number().int(),
  services: z.array(
    z.object({
      serviceId: z.uuid(),
      serviceName: z.string(),
      ruleText: z.string(),
      subscribers: z.number().int(),
      count: z.number().int(),
      members: z.array(
        z.object({
          memberId: z.uuid(),
          memberName: z.string(),
          departementCode: z.string().nullable(),
          shareCents: z.number().int(),
          aloneCents: z.number().int(),
        }),
      ),
    }),
  ),
});
export type AboveAlone = z.infer<typeof aboveAloneSchema>;

export const memberCostsSchema = z.object({
  memberId: z.uuid(),
  memberName: z.string(),
  year: z.number().int(),
  totalCents: z.number().int(),
  /** Σ (alone − share) over the services whose alone price is known. */
  savingsCents: z.number().int(),
  aloneCents: z.number().int(),
  lines: z.array(memberCostLineSchema),
  /** Subscribed services that have no pool for the year (not priced yet). */
  unpriced: z.array(z.object({ serviceId: z.uuid(), serviceName: z.string() })),
});
export type MemberCosts = z.infer<typeof memberCostsSchema>;

export const simulationInputSchema = z
  .object({
    serviceId: z.uuid(),
    year: yearSchema,
    join: z
      .object({
        count: z.number().int().min(1, 'au moins 1 membre').max(10_000, 'au plus 10 000 membres'),
        population: z.number().int().min(0).max(100_000_000),
        kind: z.enum(MEMBER_KINDS),
        units: z.number().int().min(0).optional(),
        months: z.number().int().min(1).max(12).optional(),
      })
      .strict()
      .optional(),
    rule: serviceRuleSchema.optional(),
    /** Newcomer counts for the growth curve (default 0, 1, 2, 5, 10, 20, 50, 100, 200, 500). */
    steps: z.array(z.number().int().min(0).max(10_000)).min(1).max(30).optional(),
  })
  .strict();
export type SimulationInput = z.infer<typeof simulationInputSchema>;

export const simulationSchema = z.object({
  serviceId: z.uuid(),
  serviceName: z.string(),
  year: z.number().int(),
  poolCents: z.number().int(),
  before: z.object({ rule: ruleSchema, ruleText: z.string(), poolCents: z.number().int() }),
  after: z.object({ rule: ruleSchema, ruleText: z.string(), poolCents: z.number().int() }),
  members: z.array(
    z.object({
      memberId: z.uuid(),
      memberName: z.string(),
      beforeCents: z.number().int(),
      afterCents: z.number().int(),
      deltaCents: z.number().int(),
    }),
  ),
  /** What each simulated newcomer would pay (they may differ by a rounding cent). */
  newcomerShares: z.array(z.number().int()),
  growth: z.array(
    z.object({
      added: z.number().int(),
      subscribers: z.number().int(),
      profileShareCents: z.number().int().nullable(),
      averageShareCents: z.number().int(),
      minShareCents: z.number().int(),
      maxShareCents: z.number().int(),
    }),
  ),
});
export type Simulation = z.infer<typeof simulationSchema>;

const stratumPriceSchema = z.object({
  label: z.string(),
  upTo: z.number().int().nullable(),
  subscribers: z.number().int(),
  minCents: z.number().int().nullable(),
  maxCents: z.number().int().nullable(),
  averageCents: z.number().int().nullable(),
  /** Market price a structure of this size would pay alone, when known. */
  aloneCents: z.number().int().nullable(),
});

export const publicPricesSchema = z.object({
  year: z.number().int(),
  membershipFee: z
    .object({ ruleText: z.string(), centsPerInhabitant: z.number(), minimumCents: z.number() })
    .nullable(),
  services: z.array(
    z.object({
      serviceId: z.uuid(),
      code: z.string(),
      name: z.string(),
      domain: z.string(),
      rule: ruleSchema,
      ruleText: z.string(),
      poolCents: z.number().int(),
      subscribers: z.number().int(),
      strata: z.array(stratumPriceSchema),
      totalAloneCents: z.number().int(),
      totalSavingsCents: z.number().int(),
    }),
  ),
  savings: z.object({
    subscribers: z.number().int(),
    totalShareCents: z.number().int(),
    totalAloneCents: z.number().int(),
    totalSavingsCents: z.number().int(),
  }),
});
export type PublicPrices = z.infer<typeof publicPricesSchema>;

const equityRowSchema = z.object({
  members: z.number().int(),
  population: z.number().int(),
  totalCents: z.number().int(),
  /** Cents per inhabitant (2 decimals), null when the group has no inhabitants. */
  centsPerInhabitant: z.number().nullable(),
});
export const equitySchema = z.object({
  year: z.number().int(),
  byStratum: z.array(equityRowSchema.extend({ label: z.string(), upTo: z.number().int().nullable() })),
  byDepartement: z.array(equityRowSchema.extend({ code: z.string(), name: z.string() })),
});
export type Equity = z.infer<typeof equitySchema>;
