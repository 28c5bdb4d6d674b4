import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { liveChannel, type LiveMessage } from '../../../alerts/alert-record.ts';
import { createRedis } from '../../../infra/redis/connection.ts';

declare module 'fastify' {
  interface FastifyInstance {
    liveAlerts: EventEmitter<{ event: [LiveMessage] }>;
    /** Publishes on the live channel (for changes made through the API: acknowledge, resolve). */
    livePublisher: Redis;
    queuePrefix: string;
  }
}

/**
 * One Redis subscription per dashboard process fans alert events out to every connected browser,
 * so the number of open streams does not multiply Redis connections.
 */
export default fp(
  async function liveAlerts(app: FastifyInstance, opts: { redisUrl: string; prefix: string }) {
    const bus = new EventEmitter<{ event: [LiveMessage] }>();
    bus.setMaxListeners(0);
    const sub = createRedis(opts.redisUrl);
    const pub = createRedis(opts.redisUrl);
    sub.on('message', (_channel, message) => {
      try {
        bus.emit('event', JSON.parse(message) as LiveMessage);
      } catch (err) {
        app.log.warn({ err }, 'unparseable live alert event');
      }
    });
    await sub.subscribe(liveChannel(opts.prefix));
    app.decorate('liveAlerts', bus);
    app.decorate('livePublisher', pub);
    app.decorate('queuePrefix', opts.prefix);
    app.addHook('onClose', async () => {
      sub.disconnect();
      pub.disconnect();
    });
  },
  { name: 'live-alerts' },
);
