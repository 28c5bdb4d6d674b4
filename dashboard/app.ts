import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../infra/config/config.ts';
import errorHandler from './plugins/infrastructure/error-handler.ts';
import postgres from './plugins/infrastructure/postgres.ts';
import swagger from './plugins/infrastructure/swagger.ts';
import auth from './plugins/application/auth.ts';
import liveAlerts from './plugins/application/live-alerts.ts';
import authRoutes from './routes/api/auth.ts';
import workflowRoutes from './routes/api/alert-workflow.ts';
import alertsRoutes from './routes/api/alerts.ts';
import unitsRoutes from './routes/api/units.ts';
import healthRoutes from './routes/health.ts';

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

/**
 * Builds the dashboard in layers, as fastify/demo does: infrastructure (database, errors, OpenAPI),
 * application services (the live alert bus), then routes. Tests build it with their own config.
 */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, base: { service: 'dashboard' } },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Infrastructure
  await app.register(errorHandler);
  await app.register(postgres, { connectionString: config.DATABASE_URL, max: config.DB_POOL_MAX });
  await app.register(swagger);

  // Application
  await app.register(auth, { ttlHours: config.SESSION_TTL_HOURS, secureCookie: config.COOKIE_SECURE });
  await app.register(liveAlerts, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });

  // Routes
  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: '/api', attemptsPerMinute: config.LOGIN_ATTEMPTS_PER_MINUTE });
  await app.register(alertsRoutes, { prefix: '/api' });
  await app.register(workflowRoutes, { prefix: '/api' });
  await app.register(unitsRoutes, { prefix: '/api' });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'em_dashboard_' });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/' });
  return app;
}
