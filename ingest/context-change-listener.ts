import pg from 'pg';
import type { Logger } from '../infra/logging/logger.ts';
import type { DeviceRegistry } from './device-registry.ts';

/**
 * LISTENs on `supervision_context` (migration 0012) and drops the registry's cached contexts of
 * the announced client or device, so an approved permit or a new zone is in force from the next
 * fix. Notifications sent while the connection is down are lost, so on every loss, and again on
 * every reconnect, the whole cache is dropped; meanwhile the registry's TTL governs. Reconnects
 * retry with backoff for as long as ingest runs.
 */
export class ContextChangeListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;

  constructor(
    private readonly connectionString: string,
    private readonly registry: DeviceRegistry,
    private readonly log: Logger,
  ) {}

  /** Connects (throws if the first attempt fails, so a misconfigured ingest does not start). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = null;
      this.registry.invalidate();
      if (!this.stopped) {
        this.log.warn({ why }, 'supervision-context listener lost; relying on the cache TTL until it reconnects');
        this.scheduleRetry();
      }
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (n) => {
      const payload = n.payload ?? '';
      if (payload.startsWith('device:')) this.registry.invalidate(payload.slice('device:'.length));
      else if (payload) this.registry.invalidateClient(payload);
    });
    try {
      await client.connect();
      await client.query('listen supervision_context');
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw err;
    }
    this.client = client;
    this.attempt = 0;
    this.registry.invalidate();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min(30_000, 500 * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((err: Error) => {
        this.log.warn({ err: err.message, attempt: this.attempt }, 'supervision-context listener: reconnect failed');
        this.scheduleRetry();
      });
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }
}
