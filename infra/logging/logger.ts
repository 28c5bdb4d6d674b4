import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured logger per service; `service` is on every line so merged logs stay readable. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}
