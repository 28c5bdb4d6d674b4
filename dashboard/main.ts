import { loadConfig } from '../infra/config/config.ts';
import { buildApp } from './app.ts';

const config = loadConfig();
const app = await buildApp(config);
await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });

const shutdown = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
