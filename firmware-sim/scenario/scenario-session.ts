import { readFile } from 'node:fs/promises';
import { startScenarioPlatform, type ScenarioPlatform } from './scenario-platform.ts';
import { runScenario, type ScenarioResult } from './scenario-runner.ts';
import type { Scenario } from './scenario-schema.ts';
import { platformKey, resolveSettings } from './scenario-settings.ts';
import { validateScenario } from './validate-scenario.ts';

export type LoadedScenario = { file: string; ok: true; scenario: Scenario; key: string } | { file: string; ok: false; errors: string[] };

/** Reads and validates a scenario file; errors name the file and the JSON path. */
export async function loadScenario(file: string): Promise<LoadedScenario> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return { file, ok: false, errors: [`not readable as JSON: ${(err as Error).message}`] };
  }
  const v = validateScenario(data);
  return v.ok ? { file, ok: true, scenario: v.scenario, key: platformKey(resolveSettings(v.scenario.settings)) } : { file, ok: false, errors: v.errors };
}

/**
 * Runs scenarios one after another, each on a platform started with its settings. Consecutive
 * scenarios with the same platform settings share one platform; a different one stops the
 * previous first (two platforms on one database would relay each other's outbox).
 */
export class ScenarioSession {
  private platform: ScenarioPlatform | null = null;
  private key: string | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: (line: string) => void = () => {},
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  async run(s: Scenario): Promise<ScenarioResult> {
    const settings = resolveSettings(s.settings);
    const key = platformKey(settings);
    if (!this.platform || this.key !== key) {
      await this.close();
      this.platform = await startScenarioPlatform(this.databaseUrl, settings, this.env);
      this.key = key;
    }
    return runScenario(this.platform, s, settings, this.log);
  }

  async close(): Promise<void> {
    const p = this.platform;
    this.platform = null;
    this.key = null;
    await p?.stop();
  }
}

/** The runner's report for one scenario: a header, then one indented line per expectation. */
export function reportLines(file: string, r: ScenarioResult): string[] {
  return [`${r.pass ? 'PASS' : 'FAIL'} ${file}: ${r.name} (${(r.wallMs / 1000).toFixed(1)} s)`, ...r.lines.map((l) => `  ${l}`)];
}
