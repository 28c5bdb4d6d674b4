import { loadConfig } from '../infra/config/config.ts';
import { createLogger } from '../infra/logging/logger.ts';
import { startAlerts } from './alerts-runtime.ts';

const config = loadConfig();
const log = createLogger('alerts', config.LOG_LEVEL);
const runtime = await startAlerts(config, log);

const shutdown = async (signal: string) => {
  log.info({ signal }, 'stopping');
  await runtime.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
