import { readFileSync } from 'node:fs';

/**
 * The CA a service trusts for its broker connection: the configured file, read at start-up so a
 * wrong path fails loudly, or none (the system's CAs).
 */
export function brokerTlsOptions(caFile: string): { ca?: Buffer } {
  return caFile ? { ca: readFileSync(caFile) } : {};
}
