import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { liveChannel } from '../../../alerts/alert-record.ts';
import { createRedis } from '../../../infra/redis/connection.ts';

export interface LiveAlertEvent {
  event: 'alert.raised' | 'alert.updated';
  alert: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    liveAlerts: EventEmitter<{ event: [LiveAlertEvent] }>;
  }
}

/**
 * One Redis subscription per dashboard process fans alert events out to every connected browser,
 * so the number of open streams does not multiply Redis connections.
 */
export default fp(
  async function liveAlerts(app: FastifyInstance, opts: { redisUrl: string; prefix: string }) {
    const bus = new EventEmitter<{ event: [LiveAlertEvent] }>();
    bus.setMaxListeners(0);
    const sub = createRedis(opts.redisUrl);
    sub.on('message', (_channel, message) => {
      try {
        bus.emit('event', JSON.parse(message) as LiveAlertEvent);
      } catch (err) {
        app.log.warn({ err }, 'unparseable live alert event');
      }
    });
    sub.on('error', (err) => app.log.warn({ err: err.message }, 'live alert subscriber error'));
    await sub.subscribe(liveChannel(opts.prefix));
    app.decorate('liveAlerts', bus);
    app.addHook('onClose', async () => {
      sub.disconnect();
    });
  },
  { name: 'live-alerts' },
);
