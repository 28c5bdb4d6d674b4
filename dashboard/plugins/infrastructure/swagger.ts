import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI document at /openapi.json and a browsable UI at /docs, generated from the route schemas. */
export default fp(async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Electronic monitoring platform API',
        version: '0.1.0',
        description: 'Monitoring-centre and probation-office API. Every error carries a stable `code` (see dashboard/errors.ts).',
      },
    },
  });
  // staticCSP: the UI's pages carry their own CSP (its inline bootstrap needs it), replacing the dashboard's.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
