import pg from 'pg';
import type { Logger } from '../infra/logging/logger.ts';
import type { DeviceRegistry } from './device-registry.ts';

/**
 * LISTENs on `supervision_context` (migration 0012) and drops the registry's cached contexts of
 * the announced client or device, so an approved permit or a new zone is in force from the next
 * fix. While the connection is down (and once it is back, since notifications may have been lost
 * meanwhile) the whole cache is dropped and the registry's TTL governs.
 */
export class ContextChangeListener {
  private client: pg.Client | null = null;
  private stopped = false;

  constructor(
    private readonly connectionString: string,
    private readonly registry: DeviceRegistry,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'supervision-context listener lost; relying on the cache TTL until it reconnects');
      this.client = null;
      this.registry.invalidate();
      if (!this.stopped) setTimeout(() => void this.start().catch(() => {}), 1000);
    });
    client.on('notification', (n) => {
      const payload = n.payload ?? '';
      if (payload.startsWith('device:')) this.registry.invalidate(payload.slice('device:'.length));
      else if (payload) this.registry.invalidateClient(payload);
    });
    await client.connect();
    await client.query('listen supervision_context');
    this.client = client;
    this.registry.invalidate();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => {});
  }
}
