import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { REJECTION_REASONS } from './protocol.ts';

/** The ingest service's Prometheus metrics, on their own registry so tests can read them directly. */
export class IngestMetrics {
  readonly registry = new Registry();
  readonly received = new Counter({ name: 'em_ingest_messages_received_total', help: 'Uplink messages received', labelNames: ['channel'], registers: [this.registry] });
  readonly fixesReceived = new Counter({ name: 'em_ingest_fixes_received_total', help: 'Fixes in valid messages', registers: [this.registry] });
  readonly stored = new Counter({ name: 'em_ingest_fixes_stored_total', help: 'Fixes stored for the first time', registers: [this.registry] });
  readonly unassigned = new Counter({ name: 'em_ingest_fixes_unassigned_total', help: 'Fixes stored with no client: the tag was fitted on nobody at their device time', registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'em_ingest_fixes_duplicate_total', help: 'Redelivered fixes already stored', registers: [this.registry] });
  readonly eventsStored = new Counter({ name: 'em_ingest_events_stored_total', help: 'Device events stored for the first time', registers: [this.registry] });
  readonly rejected = new Counter({ name: 'em_ingest_messages_rejected_total', help: 'Rejected messages by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly intents = new Counter({ name: 'em_ingest_alert_intents_total', help: 'Alert intents written to the outbox', labelNames: ['kind'], registers: [this.registry] });
  readonly batchSeconds = new Histogram({
    name: 'em_ingest_batch_seconds', help: 'Time to commit one batch', registers: [this.registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  readonly batchSize = new Histogram({ name: 'em_ingest_batch_fixes', help: 'Fixes per committed batch', registers: [this.registry], buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000] });
  readonly lagSeconds = new Histogram({
    name: 'em_ingest_lag_seconds', help: 'Commit time minus device time of stored fixes', registers: [this.registry],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300, 3600, 86400],
  });
  readonly pending = new Gauge({ name: 'em_ingest_pending_fixes', help: 'Fixes received and not yet committed', registers: [this.registry] });
  readonly writeErrors = new Counter({ name: 'em_ingest_write_errors_total', help: 'Failed batch commits (retried)', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'em_ingest_' });
    for (const reason of REJECTION_REASONS) this.rejected.labels(reason).inc(0);
  }
}
