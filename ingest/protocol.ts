import { Type, type Static } from 'typebox';
import { FIX_SOURCES } from '../infra/domain/types.ts';

/**
 * Device protocol v1 uplink payloads (docs/device-protocol.md). Keys are short because tags pay
 * for every byte over cellular links.
 */
export const PROTOCOL_VERSION = 1;
export const MAX_FIXES_PER_BATCH = 500;

export const FixPayload = Type.Object(
  {
    seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    /** Device time, epoch milliseconds UTC. */
    t: Type.Integer({ minimum: 0 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    /** Accuracy radius in metres. */
    acc: Type.Number({ minimum: 0, maximum: 100_000 }),
    src: Type.Enum(FIX_SOURCES),
  },
  { additionalProperties: false },
);

export const FixBatchPayload = Type.Object(
  {
    v: Type.Literal(PROTOCOL_VERSION),
    device: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    fixes: Type.Array(FixPayload, { minItems: 1, maxItems: MAX_FIXES_PER_BATCH }),
  },
  { additionalProperties: false },
);
export type FixBatchPayload = Static<typeof FixBatchPayload>;

/** Stable rejection reasons: they are metric labels and dead-letter reasons, so never rename one. */
export const REJECTION_REASONS = [
  'oversized',
  'malformed_json',
  'schema',
  'coordinates_out_of_range',
  'future_time',
  'too_old',
  'device_mismatch',
  'unknown_device',
  'unassigned_device',
  'unknown_topic',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
