import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installFrenchErrors } from '../contracts/validation.js';
import type { Config } from './config.js';
import { registerAccountsJobs } from './modules/accounts/accounts.jobs.js';
import accountsRoutes from './modules/accounts/accounts.routes.js';
import type { ProConnectClient } from './modules/accounts/proconnect/proconnect.client.js';
import { registerActsJobs, unconfiguredConnector } from './modules/acts/acts.jobs.js';
import actsRoutes from './modules/acts/acts.routes.js';
import { actsSearch } from './modules/acts/acts.search.js';
import { registerActsStoredFiles } from './modules/acts/acts.service.js';
import type { ActsConnector } from './modules/acts/transmission/connector.js';
import billingRoutes from './modules/billing/billing.routes.js';
import { invoicesSearch } from './modules/billing/billing.search.js';
import catalogueRoutes from './modules/catalogue/catalogue.routes.js';
import { registerCyberJobs } from './modules/cyber/cyber.jobs.js';
import cyberOperatorRoutes from './modules/cyber/cyber.operator.routes.js';
import cyberRoutes from './modules/cyber/cyber.routes.js';
import { registerGovernanceStoredFiles } from './modules/governance/governance.documents.service.js';
import { registerGovernanceJobs } from './modules/governance/governance.jobs.js';
import governanceRoutes from './modules/governance/governance.routes.js';
import { registerHostingStoredFiles } from './modules/hosting/hosting.continuity.service.js';
import { registerHostingJobs } from './modules/hosting/hosting.jobs.js';
import hostingRoutes from './modules/hosting/hosting.routes.js';
import { registerMembersStoredFiles } from './modules/members/members.documents.service.js';
import membersImportRoutes from './modules/members/members.import.routes.js';
import membersRoutes from './modules/members/members.routes.js';
import { membersSearch } from './modules/members/members.search.js';
import opendataRoutes from './modules/opendata/opendata.routes.js';
import pricingRoutes from './modules/pricing/pricing.routes.js';
import { processingsSearch } from './modules/rgpd/processings/rgpd.processings.search.js';
import { registerRgpdJobs } from './modules/rgpd/rgpd.jobs.js';
import rgpdRoutes from './modules/rgpd/rgpd.routes.js';
import subscriptionsRoutes from './modules/subscriptions/subscriptions.routes.js';
import articleRoutes from './modules/support/support.articles.routes.js';
import attendanceRoutes from './modules/support/support.attendance.routes.js';
import { registerSupportStoredFiles } from './modules/support/support.desk.service.js';
import { registerSupportJobs } from './modules/support/support.jobs.js';
import supportRoutes from './modules/support/support.routes.js';
import { ticketsSearch } from './modules/support/support.search.js';
import trainingRoutes from './modules/support/support.training.routes.js';
import territoryRoutes from './modules/territory/territory.routes.js';
import { registerWebhookJobs } from './modules/webhooks/webhooks.jobs.js';
import webhooksRoutes from './modules/webhooks/webhooks.routes.js';
import { recordAudit } from './platform/audit/audit.js';
import auditRoutes from './platform/audit/audit.routes.js';
import { touchToken } from './platform/auth/api-token.js';
import { personOf } from './platform/auth/context.js';
import { registerSessionHook } from './platform/auth/session.js';
import { ChangeFeed } from './platform/changes.js';
import type { Database } from './platform/db/client.js';
import { DomainError } from './platform/errors.js';
import { apiModule, registerAccessPipeline } from './platform/http/access.js';
import { registerHealthRoutes } from './platform/http/health.js';
import { registerInputGuard } from './platform/http/input-guard.js';
import { openApiTransform } from './platform/http/openapi.js';
import { registerPrivateAnswers } from './platform/http/private-answers.js';
import { clientErrorProblem, frameworkProblem, registerProblemHandler } from './platform/http/problem.js';
import { registerPublicCache } from './platform/http/public-cache.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import jobsRoutes from './platform/jobs/jobs.routes.js';
import { enqueueCalls } from './platform/jobs/queue.js';
import { JobRunner } from './platform/jobs/worker.js';
import { OneLineRequestLog } from './platform/logger.js';
import mailRoutes from './platform/mail/mail.routes.js';
import { type Mailer, registerMailJobs, registerMailStoredFiles } from './platform/mail/mailer.js';
import { PROJECT_ROOT } from './platform/paths.js';
import { SearchRegistry } from './platform/search/search.js';
import searchRoutes from './platform/search/search.routes.js';
import type { ObjectStorage } from './platform/storage/storage.js';

installFrenchErrors();

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    /** Versions of the cacheable data, moved by database notifications (platform/changes.ts). */
    changes: ChangeFeed;
    mailer: Mailer;
    storage: ObjectStorage;
    /** The job runner: handlers and schedules are registered here; main.ts starts it. */
    jobs: JobRunner;
    /** The tiers de télétransmission acts are sent through (S²LOW, its fake in the demo and tests). */
    actsConnector: ActsConnector;
    /** The global search's providers: each module registers its own (platform/search). */
    searchProviders: SearchRegistry;
  }
}

export interface AppDependencies {
  config: Config;
  database: Database;
  mailer: Mailer;
  storage: ObjectStorage;
  /** The tiers de télétransmission; without one, transmissions wait (jobs retry) and say why. */
  actsConnector?: ActsConnector;
  /** ProConnect (configured, or the demo's local provider); without it the login page shows no button. */
  proconnect?: ProConnectClient;
  logger?: FastifyServerOptions['logger'];
  /** Development: one log line per request instead of Fastify's two (platform/logger.ts). */
  oneLineRequestLogs?: boolean;
}

export const WEB_DIST = path.join(PROJECT_ROOT, 'dist/web');

/**
 * Who may tell the client's address through X-Forwarded-For (TRUST_PROXY): nobody by default, the
 * listed proxy addresses and ranges, or the `hops` nearest addresses of the chain (the socket's peer
 * first), as Express counts them. Fastify does not count hops itself (it trusts no one for a number).
 */
function trustedProxies(trust: Config['TRUST_PROXY']): FastifyServerOptions['trustProxy'] {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    logController: deps.oneLineRequestLogs ? new OneLineRequestLog() : undefined,
    trustProxy: trustedProxies(deps.config.TRUST_PROXY),
    bodyLimit: 1024 * 1024,
    // Refusals made before any route runs are problem documents in French too.
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem,
  });
  app.decorate('config', deps.config);
  app.decorate('database', deps.database);
  app.decorate('mailer', deps.mailer);
  deps.mailer.keepAttachmentsIn(deps.storage);
  app.decorate('storage', deps.storage);
  const jobs = new JobRunner(deps.database.db, { pollMs: deps.config.JOBS_POLL_MS, log: app.log });
  app.decorate('jobs', jobs);
  registerMailJobs(jobs, deps.mailer);
  registerRgpdJobs(jobs, deps.mailer);
  const actsConnector = deps.actsConnector ?? unconfiguredConnector;
  app.decorate('actsConnector', actsConnector);
  app.decorate('proconnect', deps.proconnect ?? null);
  registerActsJobs(jobs, { connector: actsConnector, storage: deps.storage });
  registerCyberJobs(jobs, deps.mailer);
  registerHostingJobs(jobs, { mailer: deps.mailer, config: deps.config });
  registerSupportJobs(jobs, { mailer: deps.mailer, publicUrl: deps.config.publicUrl });
  registerWebhookJobs(jobs, {
    mailer: deps.mailer,
    publicUrl: deps.config.publicUrl,
    target: { allowHttp: deps.config.webhookAllowHttp, allowedHosts: deps.config.webhookAllowedHosts },
  });
  const search = new SearchRegistry();
  app.decorate('searchProviders', search);
  search.register(membersSearch);
  search.register(invoicesSearch);
  search.register(processingsSearch);
  search.register(actsSearch);
  search.register(ticketsSearch);
  registerAccountsJobs(jobs, { config: deps.config, mailer: deps.mailer });
  registerGovernanceJobs(jobs, { mailer: deps.mailer, publicUrl: deps.config.publicUrl });
  // Modules that keep files in object storage declare them to the start-up sweep (main.ts).
  registerMembersStoredFiles();
  registerActsStoredFiles();
  registerSupportStoredFiles();
  registerGovernanceStoredFiles();
  registerMailStoredFiles();
  registerHostingStoredFiles();
  // The runner finishes the job it is running before the database closes (main.ts closes it after).
  app.addHook('onClose', () => jobs.stop());
  // Jobs a request queued (committed before its answer) start at once, not at the runner's next poll.
  let enqueuesSeen = enqueueCalls();
  app.addHook('onResponse', async () => {
    if (enqueueCalls() === enqueuesSeen) return;
    enqueuesSeen = enqueueCalls();
    jobs.wake();
  });
  const changes = await ChangeFeed.start(deps.database);
  app.decorate('changes', changes);
  app.addHook('onClose', async () => {
    await changes.close();
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);
  registerInputGuard(app);

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: deps.config.isProduction ? [] : null,
      },
    },
    hsts: deps.config.isProduction,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: deps.config.UPLOAD_MAX_BYTES, files: 1, fields: 20 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Socle API',
        description: "API de la plateforme Socle d'un opérateur public de mutualisation numérique.",
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'socle_session' },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'socle_…',
            description:
              "Jeton d'API créé par l'administrateur d'une structure ou de l'opérateur : `Authorization: Bearer socle_…`. Un jeton personnel agit avec les droits actuels de la personne qui l'a créé ; un jeton de la structure agit pour la structure. L'un et l'autre sont limités à leurs modules (lecture seule ou lecture et écriture). « Authorize » garde le jeton d'un rechargement à l'autre.",
          },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: openApiTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // « Authorize » keeps the bearer token across reloads: a developer tries calls with their token.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { persistAuthorization: true, tryItOutEnabled: true },
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerSessionHook(app);
  // API tokens are counted per token (each process counts its own); people with a session are not.
  await app.register(fastifyRateLimit, {
    global: true,
    max: deps.config.API_TOKEN_RATE_LIMIT,
    timeWindow: 60_000,
    allowList: (request) => !request.actor?.token,
    keyGenerator: (request) => `token:${request.actor?.token?.id ?? request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'rate_limited',
        'Trop de requêtes',
        `Ce jeton d'API a dépassé ${context.max} requêtes par minute : réessayez dans ${Math.ceil(context.ttl / 1000)} s.`,
        undefined,
        { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      ),
  });
  // Every request made with a token is audited as that token, after the answer (owner connection).
  app.addHook('onResponse', async (request, reply) => {
    const actor = request.actor;
    if (!actor?.token) return;
    const db = deps.database.db;
    await Promise.all([
      recordAudit(db, {
        action: 'api_token.request',
        actorUserId: personOf(actor),
        memberId: actor.isOperator ? null : (actor.current?.organisationId ?? null),
        targetType: 'api_token',
        targetId: actor.token.id,
        ipAddress: request.ip,
        details: {
          method: request.method,
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
        },
      }),
      touchToken(db, actor.token.id),
    ]).catch((err) => request.log.error({ err }, 'token request audit failed'));
  });
  registerPrivateAnswers(app);
  registerPublicCache(app, changes, {
    ttlMs: deps.config.PUBLIC_CACHE_SECONDS * 1000,
    maxBytes: deps.config.PUBLIC_CACHE_MAX_MB * 1024 * 1024,
  });
  registerHealthRoutes(app);
  registerAccessPipeline(app, '/api/v1/', (url) => url === '/api/v1/openapi.json');
  // Each module's routes carry the module an API token's scopes name (platform/http/access.ts apiModule);
  // territory is public, accounts, audit, mail, jobs and search are out of every token's reach.

  await app.register(territoryRoutes, { prefix: '/api/v1' });
  await app.register(apiModule('members', membersRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('members', membersImportRoutes), { prefix: '/api/v1' });
  await app.register(accountsRoutes, { prefix: '/api/v1' });
  await app.register(auditRoutes, { prefix: '/api/v1' });
  await app.register(mailRoutes, { prefix: '/api/v1' });
  await app.register(jobsRoutes, { prefix: '/api/v1' });
  await app.register(apiModule('catalogue', catalogueRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('subscriptions', subscriptionsRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('pricing', pricingRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('billing', billingRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('rgpd', rgpdRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('acts', actsRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('governance', governanceRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('cyber', cyberRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('cyber', cyberOperatorRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('hosting', hostingRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('support', supportRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('support', trainingRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('support', articleRoutes), { prefix: '/api/v1' });
  await app.register(apiModule('support', attendanceRoutes), { prefix: '/api/v1' });
  await app.register(searchRoutes, { prefix: '/api/v1' });
  await app.register(apiModule('webhooks', webhooksRoutes), { prefix: '/api/v1' });
  await app.register(opendataRoutes, { prefix: '/api/v1' });

  await registerWebApp(app);
  return app;
}

/** Pages a member's website may show in an iframe with `?embed=1`: the public acts portal. */
const EMBEDDABLE_PAGE = /^\/adherents\/[0-9a-f-]{36}\/actes\/?$/i;

/** Any site may frame this answer: CSP frame-ancestors opened, X-Frame-Options removed. */
function allowFraming(reply: FastifyReply) {
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string') {
    reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  }
  reply.removeHeader('x-frame-options');
}

/** A built file whose name carries its content's hash (vite: `assets/<name>-<hash>.<ext>`). */
const IMMUTABLE_ASSET = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.[a-z0-9]+$/i;
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/** Serves the built SPA; any other GET that is not an API path falls back to index.html. */
async function registerWebApp(app: FastifyInstance) {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) return;
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/',
    wildcard: false,
    index: false,
    // The build names every script, style and font under assets/ by a hash of its content: a name
    // never changes content, so the browser keeps them a year without asking again (one request per
    // page instead of one per file, and the scripts' compiled code kept between pages).
    setHeaders: (reply, file) => {
      if (IMMUTABLE_ASSET.test(file)) reply.header('cache-control', ASSET_CACHE);
    },
  });
  const indexHtml = fs.readFileSync(path.join(WEB_DIST, 'index.html'));
  // The page that names the current assets is asked again on each visit (revalidated, never stale).
  const sendIndex = (_req: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  app.get('/', { schema: { hide: true } }, sendIndex);
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const url = request.url.split('?')[0];
    if (url.startsWith('/api/') || path.extname(url)) {
      return reply.callNotFound();
    }
    if (EMBEDDABLE_PAGE.test(url) && (request.query as Record<string, unknown>).embed === '1') {
      allowFraming(reply);
    }
    return sendIndex(request, reply);
  });
}
