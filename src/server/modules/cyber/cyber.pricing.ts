import type { FastifyInstance } from 'fastify';
import { MEMBER_KINDS, type MemberKind } from '../../../contracts/members.js';
import { currentYear } from '../../platform/clock.js';
import { memberOf, yearModels } from '../pricing/pricing.model.js';
import { memberCosts } from '../pricing/pricing.service.js';
import { simulate } from '../pricing/pricing.simulation.service.js';
import type { ServiceCost } from './cyber.diagnostics.service.js';

/**
 * The member's yearly share of a catalogue service, from the pricing engine: its current share
 * when it holds the service, else what it would pay joining this year (a one-newcomer simulation).
 * The model is read as the pricing reader (every member's subscriptions), in its own transaction —
 * after the request's — whoever asks; null when the service has no cost pool for the year.
 */
export function serviceCostFor(app: FastifyInstance): ServiceCost {
  const models = yearModels(app.database, app.config.MODEL_CACHE_NOTIFIED ? app.changes : null);
  return async (memberId, serviceId, subscribed) => {
    const year = currentYear();
    try {
      return await models.asReader(year, async (model, db) => {
        if (subscribed) {
          const line = memberCosts(model, memberId).lines.find((l) => l.serviceId === serviceId);
          if (line) return line.shareCents;
        }
        const member = memberOf(model, memberId);
        const kind = (MEMBER_KINDS as readonly string[]).includes(member.kind)
          ? (member.kind as MemberKind)
          : 'autre';
        const simulation = await simulate(db, model, {
          serviceId,
          year,
          join: { count: 1, population: member.population, kind },
        });
        return simulation.newcomerShares[0] ?? null;
      });
    } catch {
      return null;
    }
  };
}
