import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults that work on a developer machine', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toMatch(/^postgres:\/\/.*127\.0\.0\.1:5432\//);
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.POSITION_RETENTION_DAYS).toBeGreaterThanOrEqual(366);
  });
  it('coerces numbers from strings', () => {
    expect(loadConfig({ HTTP_PORT: '9000', INGEST_BATCH_MAX: '10' })).toMatchObject({ HTTP_PORT: 9000, INGEST_BATCH_MAX: 10 });
  });
  it('fails at start-up naming the bad variable', () => {
    expect(() => loadConfig({ HTTP_PORT: 'eighty' })).toThrow(/HTTP_PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ POSITION_RETENTION_DAYS: '0' })).toThrow(/POSITION_RETENTION_DAYS/);
  });
});
