import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ProductionConfigError, type Config } from '../infra/config/config.ts';
import errorHandler from './plugins/infrastructure/error-handler.ts';
import inputGuard from './plugins/infrastructure/input-guard.ts';
import securityHeaders from './plugins/infrastructure/security-headers.ts';
import { bearerMatches } from '../infra/http/bearer.ts';
import postgres from './plugins/infrastructure/postgres.ts';
import swagger from './plugins/infrastructure/swagger.ts';
import auth from './plugins/application/auth.ts';
import liveAlerts from './plugins/application/live-alerts.ts';
import authRoutes from './routes/api/auth.ts';
import workflowRoutes from './routes/api/alert-workflow.ts';
import alertsRoutes from './routes/api/alerts.ts';
import unitsRoutes from './routes/api/units.ts';
import uiConfigRoutes from './routes/api/ui-config.ts';
import liveRoutes from './routes/api/live.ts';
import statsRoutes from './routes/api/stats.ts';
import clientsRoutes from './routes/api/clients.ts';
import travelRequestRoutes from './routes/api/travel-requests.ts';
import violationRoutes from './routes/api/violations.ts';
import proposalRoutes from './routes/api/proposals.ts';
import documentRoutes from './routes/api/documents.ts';
import permitRoutes from './routes/api/permits.ts';
import placeChangeRoutes from './routes/api/place-changes.ts';
import livingConditionsRoutes from './routes/api/living-conditions.ts';
import zoneRoutes from './routes/api/zones.ts';
import curfewRoutes from './routes/api/curfew.ts';
import placeRoutes from './routes/api/places.ts';
import userRoutes from './routes/api/users.ts';
import deviceSwapRoutes from './routes/api/device-swap.ts';
import deviceRoutes from './routes/api/devices.ts';
import healthRoutes from './routes/health.ts';

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
/** The web UI's build (npm run build:web); without it, public/ explains how to build it. */
const DEFAULT_WEB_DIST_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'web', 'dist');

/**
 * Builds the dashboard in layers, as fastify/demo does: infrastructure (database, errors, OpenAPI),
 * application services (the live alert bus), then routes. Tests build it with their own config.
 */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const https = config.HTTPS_CERT_FILE && config.HTTPS_KEY_FILE ? { cert: readFileSync(config.HTTPS_CERT_FILE), key: readFileSync(config.HTTPS_KEY_FILE) } : null;
  const app = Fastify({
    ...(https ? { https } : {}),
    logger: { level: config.LOG_LEVEL, base: { service: 'dashboard' } },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Infrastructure
  await app.register(errorHandler);
  await app.register(inputGuard);
  await app.register(securityHeaders, { tileUrl: config.MAP_TILE_URL });
  await app.register(postgres, { connectionString: config.DATABASE_URL, max: config.DB_POOL_MAX });
  if (config.API_DOCS) await app.register(swagger);
  if (config.NODE_ENV === 'production') {
    // The demo accounts share a password printed in the README: none may sign in to a real deployment.
    const demo = await app.pg.query<{ username: string }>('select username from users where demo and disabled_at is null order by username');
    if (demo.rows.length) {
      throw new ProductionConfigError([`demo accounts are enabled (${demo.rows.map((r) => r.username).join(', ')}): disable them (update users set disabled_at = now() where demo) before serving in production`]);
    }
  }

  // Application
  await app.register(auth, { ttlHours: config.SESSION_TTL_HOURS, secureCookie: config.COOKIE_SECURE });
  await app.register(liveAlerts, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });

  // Routes
  await app.register(healthRoutes);
  await app.register(authRoutes, {
    prefix: '/api',
    limits: {
      perAccount: config.LOGIN_FAILURES_PER_ACCOUNT, perIp: config.LOGIN_FAILURES_PER_IP, globalPerMinute: config.LOGIN_FAILURES_GLOBAL_PER_MINUTE,
      windowMinutes: config.LOGIN_WINDOW_MINUTES, lockoutMinutes: config.LOGIN_LOCKOUT_MINUTES,
    },
  });
  await app.register(alertsRoutes, { prefix: '/api' });
  await app.register(workflowRoutes, { prefix: '/api' });
  await app.register(unitsRoutes, { prefix: '/api' });
  await app.register(uiConfigRoutes, { prefix: '/api', config });
  await app.register(liveRoutes, { prefix: '/api' });
  await app.register(statsRoutes, { prefix: '/api', config });
  // Case management and the legal workflow (issue 7)
  await app.register(clientsRoutes, { prefix: '/api' });
  await app.register(travelRequestRoutes, { prefix: '/api' });
  await app.register(violationRoutes, { prefix: '/api' });
  await app.register(proposalRoutes, { prefix: '/api', deferralEndLeadDays: config.DEFERRAL_END_LEAD_DAYS });
  await app.register(documentRoutes, { prefix: '/api' });
  await app.register(permitRoutes, { prefix: '/api' });
  await app.register(placeChangeRoutes, { prefix: '/api' });
  await app.register(livingConditionsRoutes, { prefix: '/api' });
  await app.register(zoneRoutes, { prefix: '/api' });
  await app.register(curfewRoutes, { prefix: '/api' });
  await app.register(placeRoutes, { prefix: '/api' });
  await app.register(userRoutes, { prefix: '/api' });
  await app.register(deviceSwapRoutes, { prefix: '/api' });
  await app.register(deviceRoutes, { prefix: '/api' });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'em_dashboard_' });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (config.METRICS_TOKEN && !bearerMatches(request.headers.authorization, config.METRICS_TOKEN)) {
      return reply.status(401).header('www-authenticate', 'Bearer').send({ statusCode: 401, code: 'EM_UNAUTHENTICATED', error: 'Unauthorized', message: 'header/authorization: a bearer token is required for /metrics' });
    }
    return reply.type(metrics.contentType).send(await metrics.metrics());
  });
  const webDist = config.WEB_DIST_DIR || DEFAULT_WEB_DIST_DIR;
  const webBuilt = existsSync(path.join(webDist, 'index.html'));
  if (!webBuilt) app.log.warn('the web UI is not built (npm run build:web); serving the placeholder page');
  await app.register(fastifyStatic, { root: webBuilt ? webDist : PUBLIC_DIR, prefix: '/' });
  return app;
}
