import pg from 'pg';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { syncProjectBroker } from './project-broker.ts';

/**
 * Runs next to the project broker (`npm run broker -- --watch`) and reloads its accounts whenever
 * the registry announces a change on `broker_accounts` (migration 0026: a tag enrolled, its secret
 * rotated or revoked from the dashboard). The dashboard never needs to reach the broker's host. A
 * notification sent while the listening connection is down is lost, so the agent also resyncs on
 * every (re)connect and every `resyncMs`.
 */
export class BrokerAccountSync {
  private client: pg.Client | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private resync: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: Config,
    private readonly pool: pg.Pool,
    private readonly dir: string,
    private readonly log: Logger,
    private readonly opts: { debounceMs?: number; resyncMs?: number } = {},
  ) {}

  async start(): Promise<void> {
    await this.connect();
    this.resync = setInterval(() => this.schedule(), this.opts.resyncMs ?? 60_000);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.DATABASE_URL });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = null;
      if (this.stopped) return;
      this.log.warn({ why }, 'broker account listener lost; reconnecting');
      setTimeout(() => this.connect().catch((err: Error) => lost(err.message)), 1_000);
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', () => this.schedule());
    await client.connect();
    await client.query('listen broker_accounts');
    this.client = client;
    this.schedule();
  }

  /** Coalesces a burst of changes (an enrolment batch) into one reload. */
  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.running
        .then(() => syncProjectBroker(this.config, this.pool, this.dir, this.log))
        .then(
          () => undefined,
          (err: Error) => this.log.error({ err: err.message }, 'broker account sync failed; retrying at the next change or resync'),
        );
    }, this.opts.debounceMs ?? 200);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.resync) clearInterval(this.resync);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
    await this.running;
  }
}
