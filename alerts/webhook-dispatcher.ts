import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../infra/logging/logger.ts';
import type { AlertRecord } from './alert-record.ts';

export const WEBHOOK_QUEUE = 'webhooks';

interface WebhookJob {
  url: string;
  event: string;
  alert: AlertRecord;
}

/**
 * The outgoing channel for other systems (a national police system, an SMS gateway): every raised
 * or updated alert is POSTed as JSON to each configured URL, retried with exponential backoff for
 * about a day when the receiver is down or answers with an error. The job id names the event, so a
 * retried alert job does not post twice.
 */
export class WebhookDispatcher {
  readonly queue: Queue<WebhookJob>;
  readonly worker: Worker<WebhookJob>;

  constructor(
    private readonly urls: string[],
    connection: ConnectionOptions,
    workerConnection: ConnectionOptions,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.queue = new Queue<WebhookJob>(WEBHOOK_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: { attempts: 25, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 14 * 86_400 } },
    });
    this.worker = new Worker<WebhookJob>(WEBHOOK_QUEUE, (job) => this.deliver(job), { connection: workerConnection, prefix, concurrency: 8 });
    this.worker.on('failed', (job, err) => this.log.warn({ url: job?.data.url, attempts: job?.attemptsMade, err: err.message }, 'webhook delivery failed'));
  }

  async dispatch(event: string, alert: AlertRecord, version: string): Promise<void> {
    if (this.urls.length === 0) return;
    await this.queue.addBulk(
      this.urls.map((url, i) => ({ name: event, data: { url, event, alert }, opts: { jobId: `${alert.id}-${event}-${version}-${i}` } })),
    );
  }

  private async deliver(job: Job<WebhookJob>): Promise<void> {
    const res = await fetch(job.data.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-em-event': job.data.event, 'x-em-delivery': String(job.id) },
      body: JSON.stringify({ event: job.data.event, alert: job.data.alert }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`${job.data.url} answered ${res.status}`);
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
