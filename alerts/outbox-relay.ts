import type { Queue } from 'bullmq';
import type pg from 'pg';
import { inTransaction } from '../infra/db/sql.ts';
import type { Logger } from '../infra/logging/logger.ts';
import type { AlertIntent } from './alert-intent.ts';

/**
 * Moves alert intents from the PostgreSQL outbox to BullMQ. Rows are claimed with SKIP LOCKED so
 * several relays can run, and the job id is the outbox row id: if a relay dies after enqueueing
 * and before marking the rows, the next relay enqueues the same ids and BullMQ ignores them.
 */
export class OutboxRelay {
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    private readonly queue: Queue<AlertIntent>,
    private readonly log: Logger,
    private readonly pollMs = 200,
    private readonly batch = 500,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.wake();
  }

  /** LISTEN makes relaying immediate; the poll is the safety net if a notification is missed. */
  private async listen(): Promise<void> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'outbox listener lost; polling until it reconnects');
      this.listener = null;
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => {}), 1000);
    });
    client.on('notification', () => this.wake());
    await client.connect();
    await client.query('listen outbox');
    this.listener = client;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((err: Error) => this.log.error({ err: err.message }, 'outbox relay failed; will retry'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Relays until the outbox is empty; returns how many intents were relayed. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<{ id: string; payload: AlertIntent }>(
          'select id, payload from outbox where relayed_at is null order by id limit $1 for update skip locked',
          [this.batch],
        );
        if (rows.length) {
          await this.queue.addBulk(rows.map((r) => ({ name: r.payload.kind, data: r.payload, opts: { jobId: `outbox-${r.id}` } })));
          await client.query('update outbox set relayed_at = now() where id = any($1::int8[])', [rows.map((r) => r.id)]);
        }
        return rows.length;
      });
      total += n;
      if (n < this.batch) return total;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => {});
  }
}
