import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * HTTP hardening (issue 18): security headers from @fastify/helmet with a CSP the web UI runs under
 * (the browser tests fail on any CSP violation), and `Cache-Control: no-store` on every API answer,
 * since nearly all of them hold personal data (positions, case files) that no shared or browser
 * cache should keep.
 *
 * The CSP: scripts and styles only from the dashboard itself; MapLibre needs blob: workers and
 * data:/blob: images; inline style attributes are allowed because MapLibre's controls and markers
 * set them (no script can be injected through a style attribute). A configured raster tile server
 * is added to img-src and connect-src. No page may frame the dashboard (clickjacking).
 */
export default fp(async function securityHeaders(app: FastifyInstance, opts: { tileUrl: string }) {
  const tileOrigin = opts.tileUrl ? originOf(opts.tileUrl) : null;
  const extra = tileOrigin ? [tileOrigin] : [];
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...extra],
        connectSrc: ["'self'", ...extra],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The dashboard is served to named monitoring-centre browsers; no cross-origin embedding of its resources.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only means something over HTTPS; helmet sends it either way and browsers ignore it over HTTP.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
});

function originOf(template: string): string | null {
  try {
    return new URL(template.replace(/\{[a-z]\}/g, '0')).origin;
  } catch {
    return null;
  }
}
