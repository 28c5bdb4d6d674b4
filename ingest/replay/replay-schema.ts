/**
 * The replay input format (docs/replay.md), a public contract: fields may be added, never
 * renamed or given another meaning. Unknown fields are ignored, so a recording may carry more.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { REGIME_KINDS } from '../../infra/domain/types.ts';

const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 with a time zone, e.g. 2026-11-02T08:15:00Z' });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

export const ReplayFixSchema = Type.Object({
  t: IsoTime,
  deliveredAt: IsoTime,
  lon: Lon,
  lat: Lat,
  acc: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: '68 % radius, metres; null or absent: none reported' })),
  src: Type.Optional(Type.String()),
});

export const ReplayInputSchema = Type.Object({
  client: Type.Object({
    regime: Type.Enum(REGIME_KINDS),
    residenceUnit: Type.String({ minLength: 1, description: 'ADM2 id of the shipped boundary data' }),
    home: Type.Tuple([Lon, Lat]),
  }),
  permits: Type.Array(Type.Object({ units: Type.Array(Type.String({ minLength: 1 })), from: IsoTime, to: IsoTime })),
  device: Type.Object({ id: Type.String({ minLength: 1 }), intervalSec: Type.Number({ exclusiveMinimum: 0 }) }),
  fixes: Type.Array(ReplayFixSchema),
});

export type ReplayInputDoc = Static<typeof ReplayInputSchema>;

const checker = Compile(ReplayInputSchema);

/** "/fixes/3/acc" -> "$.fixes[3].acc" */
const jsonPath = (pointer: string) =>
  '$' + pointer.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');

/** Every problem of a parsed input, each naming the field (first 20); empty when it is valid. */
export function replayInputErrors(data: unknown, knownUnits?: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  if (!checker.Check(data)) {
    for (const e of checker.Errors(data)) {
      const line = `${jsonPath(e.instancePath)}: ${e.message}`;
      if (!errors.includes(line)) errors.push(line);
      if (errors.length >= 20) break;
    }
    return errors;
  }
  if (knownUnits) {
    const d = data as ReplayInputDoc;
    if (!knownUnits.has(d.client.residenceUnit)) errors.push(`$.client.residenceUnit: unknown unit ${d.client.residenceUnit}`);
    d.permits.forEach((p, i) => p.units.forEach((u, j) => knownUnits.has(u) || errors.push(`$.permits[${i}].units[${j}]: unknown unit ${u}`)));
  }
  return errors;
}
