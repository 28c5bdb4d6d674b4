import { loadConfig } from '../infra/config/config.ts';
import { createLogger } from '../infra/logging/logger.ts';
import { startIngest } from './ingest-runtime.ts';

const config = loadConfig();
const log = createLogger('ingest', config.LOG_LEVEL);
const runtime = await startIngest(config, log);
log.info({ metrics: `http://${config.HTTP_HOST}:${config.INGEST_METRICS_PORT}/metrics` }, 'ingest ready');

const shutdown = async (signal: string) => {
  log.info({ signal }, 'stopping: committing queued fixes');
  await runtime.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
