import { fileURLToPath } from 'node:url';
import { ScenarioSchema } from './scenario-schema.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../../docs/scenario.schema.json', import.meta.url));

/** The TypeBox schema is JSON Schema already; this is its file form (draft 2020-12). */
export function scenarioJsonSchema(): string {
  return JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...ScenarioSchema }, null, 2) + '\n';
}
