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

export const EVENT_TYPES = [
  'strap_opened',
  'strap_closed',
  'case_opened',
  'case_closed',
  'battery',
  'charger_connected',
  'charger_disconnected',
  'gps_lost',
  'gps_regained',
  'powering_off',
  'message_read',
] as const;
export type DeviceEventType = (typeof EVENT_TYPES)[number];

export const EventPayload = Type.Object(
  {
    seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    t: Type.Integer({ minimum: 0 }),
    type: Type.Enum(EVENT_TYPES),
    level: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    charging: Type.Optional(Type.Boolean()),
    reason: Type.Optional(Type.Enum(['battery_flat', 'shutdown'])),
    command: Type.Optional(Type.String({ maxLength: 64 })),
    // gps_lost only: the tag's accelerometer says the wearer is moving (decides no_location).
    moving: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const EventBatchPayload = Type.Object(
  {
    v: Type.Literal(PROTOCOL_VERSION),
    device: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    events: Type.Array(EventPayload, { minItems: 1, maxItems: MAX_FIXES_PER_BATCH }),
  },
  { additionalProperties: false },
);
export type EventBatchPayload = Static<typeof EventBatchPayload>;

export const StatusPayload = Type.Object(
  {
    v: Type.Literal(PROTOCOL_VERSION),
    online: Type.Boolean(),
    fw: Type.Optional(Type.String({ maxLength: 32 })),
    interval_s: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
export type StatusPayload = Static<typeof StatusPayload>;

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
  // No longer raised (issue 19): fixes of a tag fitted on nobody are stored with no client and
  // flagged on the device (em_ingest_fixes_unassigned_total). Kept so the metric series stays.
  'unassigned_device',
  'unknown_topic',
  // The validator itself failed on this payload (a bug to fix; the message is still counted).
  'unprocessable',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
