import { loadConfig } from '../infra/config/config.ts';
import { createLogger } from '../infra/logging/logger.ts';
import { startIngest } from './ingest-runtime.ts';

const config = loadConfig();
const log = createLogger('ingest', config.LOG_LEVEL);
const runtime = await startIngest(config, log);
const address = runtime.http.server.address();
const metricsPort = typeof address === 'object' && address ? address.port : config.INGEST_METRICS_PORT;
log.info({ metricsPort, metrics: `http://${config.HTTP_HOST}:${metricsPort}/metrics` }, 'ingest ready');

const shutdown = async (signal: string) => {
  log.info({ signal }, 'stopping: committing queued fixes');
  await runtime.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
