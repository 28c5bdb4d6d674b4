import { fileURLToPath } from 'node:url';

/** Where the platform keeps runtime state (broker files, pids, logs): EM_RUN_DIR or `<repo>/.run`. */
export function runDir(): string {
  return process.env.EM_RUN_DIR ?? fileURLToPath(new URL('../../.run/', import.meta.url)).replace(/\/$/, '');
}
