import { Queue, type ConnectionOptions } from 'bullmq';
import { ALERT_INTENT_QUEUE, type AlertIntent } from './alert-intent.ts';

/**
 * The alert-intent queue. Completed jobs are kept for a day so that a relay re-enqueueing the same
 * outbox id within that window is recognised as a duplicate by BullMQ.
 */
export function createAlertIntentQueue(connection: ConnectionOptions, prefix: string): Queue<AlertIntent> {
  return new Queue<AlertIntent>(ALERT_INTENT_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 20,
      backoff: { type: 'exponential', delay: 200 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  });
}
