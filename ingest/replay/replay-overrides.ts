import { BASE_SETTINGS, DEFAULT_EPISODE_SETTINGS, type EpisodeSettings, type RuleKind } from '../../geofence/index.ts';
import { DEFAULT_DETECTION, type DetectionSettings } from '../device-detector.ts';

/**
 * Proposed settings for a replay ("what would this change have done to last month's tracks"):
 * `{ "rules": { "residence_unit": { "openZ": 3.5 } }, "fastIntervalS": 10 }`. Only known numeric
 * fields; anything else is an error naming it, so a typo cannot silently replay the defaults.
 */
export function applyOverrides(data: unknown): { ok: true; settings: DetectionSettings } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const episodes = Object.fromEntries(Object.entries(DEFAULT_EPISODE_SETTINGS).map(([k, v]) => [k, { ...v }])) as Record<RuleKind, EpisodeSettings>;
  const detection = { ...DEFAULT_DETECTION };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { ok: false, errors: ['$: must be an object'] };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'rules') {
      if (value === null || typeof value !== 'object') {
        errors.push('$.rules: must be an object');
        continue;
      }
      for (const [rule, fields] of Object.entries(value as Record<string, unknown>)) {
        if (!(rule in episodes)) {
          errors.push(`$.rules.${rule}: unknown rule (${Object.keys(episodes).join(', ')})`);
          continue;
        }
        for (const [f, x] of Object.entries((fields ?? {}) as Record<string, unknown>)) {
          if (!(f in BASE_SETTINGS)) errors.push(`$.rules.${rule}.${f}: unknown setting`);
          else if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) errors.push(`$.rules.${rule}.${f}: must be a number >= 0`);
          else episodes[rule as RuleKind][f as keyof EpisodeSettings] = x;
        }
      }
    } else if (key in detection) {
      if (typeof value !== 'number' || !(value > 0)) errors.push(`$.${key}: must be a positive number`);
      else detection[key as keyof typeof detection] = value;
    } else errors.push(`$.${key}: unknown setting`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings: { ...detection, episodes } };
}
