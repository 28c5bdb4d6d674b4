import { Type, type Static } from 'typebox';
import { ALERT_TYPES, PERMIT_CATEGORIES, REGIME_KINDS } from '../../infra/domain/types.ts';
import { ENVIRONMENTS } from '../accuracy-model.ts';

/**
 * The scenario file format, version 1, defined once: the runner validates with it, and
 * docs/scenario.schema.json is this schema written out (`npm run scenario -- --write-schema`,
 * checked by scenario-schema.test.ts). Times are seconds from the scenario start (`...S`), and
 * docs/scenarios.md explains every field.
 */

const doc = (description: string) => ({ description });

export const LonLatSchema = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })], doc('[longitude, latitude], WGS84 degrees'));

export const PlaceSchema = Type.Union(
  [
    LonLatSchema,
    Type.Object(
      {
        lonLat: Type.Optional(LonLatSchema),
        city: Type.Optional(Type.String(doc('a city of firmware-sim/cities.ts, e.g. "Bishkek", "Osh"'))),
        road: Type.Optional(Type.String(doc('a road id of firmware-sim/roads.ts, e.g. "bishkek-korday"'))),
        point: Type.Optional(Type.Union([Type.Literal('start'), Type.Literal('end'), Type.Integer({ minimum: 0 })], doc('waypoint of `road`: start, end or its index (default start)'))),
        offsetM: Type.Optional(Type.Tuple([Type.Number(), Type.Number()], doc('[east, north] metres added to the place'))),
      },
      { additionalProperties: false, description: 'exactly one of lonLat, city, road' },
    ),
  ],
  doc('a point: [lon, lat] or {lonLat | city | road (+ point)} with an optional offsetM'),
);

const SpanS = Type.Object(
  { fromS: Type.Number({ minimum: -86_400 }), toS: Type.Number() },
  { additionalProperties: false, description: 'seconds from the scenario start; toS > fromS' },
);

export const ScheduleSchema = Type.Object(
  {
    weekly: Type.Optional(
      Type.Array(
        Type.Object(
          {
            days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, description: 'ISO weekdays the window starts on, 1 = Monday' }),
            start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM (Asia/Bishkek)' }),
            end: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM; earlier than start runs past midnight' }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    relative: Type.Optional(Type.Array(SpanS, { description: 'windows relative to the scenario start, widened to whole minutes, each shorter than 24 h' })),
  },
  { additionalProperties: false, description: 'when a zone applies, in Asia/Bishkek local time; weekly and relative windows add up' },
);

export const ZoneSchema = Type.Object(
  {
    label: Type.Optional(Type.String({ maxLength: 100 })),
    circle: Type.Optional(Type.Object({ center: PlaceSchema, radiusM: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }) }, { additionalProperties: false })),
    polygon: Type.Optional(Type.Array(LonLatSchema, { minItems: 3, description: 'outer ring; closed automatically' })),
    schedule: Type.Optional(ScheduleSchema),
  },
  { additionalProperties: false, description: 'an exclusion zone: exactly one of circle, polygon; no schedule = always' },
);

export const ClientSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'name used in this file only' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    regime: Type.Optional(Type.Enum(REGIME_KINDS, { default: 'probation_supervision' })),
    residenceUnitId: Type.String({ pattern: '^KG[0-9]{11}$', description: 'level 2 unit id (COD-AB P-code), e.g. KG11000000000 = Bishkek' }),
    districtId: Type.Optional(Type.String({ pattern: '^KG[0-9]{11}$', description: 'probation district office; default residenceUnitId' })),
    exclusionZones: Type.Optional(Type.Array(ZoneSchema)),
    curfew: Type.Optional(
      Type.Object(
        { home: PlaceSchema, radiusM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000, default: 150 })), schedule: ScheduleSchema },
        { additionalProperties: false, description: 'must be within radiusM of home while the schedule is active' },
      ),
    ),
    ageYears: Type.Optional(Type.Integer({ minimum: 10, maximum: 100, description: "the client's age at the scenario start; under 18 under probation supervision is a child with quarterly living-conditions inspections (PEC KR art. 167(2)); default: no date of birth on file" })),
    termStartedDaysAgo: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 45, description: 'days since the supervision term started (the appearance at the office)' })),
    checkIns: Type.Optional(
      Type.Array(
        Type.Object(
          {
            dueInDays: Type.Integer({ minimum: -60, maximum: 60, description: 'due date in days from the scenario start\'s date in Asia/Bishkek (-1 = yesterday)' }),
            status: Type.Optional(Type.Enum(['scheduled', 'attended'], { default: 'scheduled', description: 'a past check-in still scheduled is a missed appearance' })),
          },
          { additionalProperties: false },
        ),
        { description: 'appearances at the probation office (PEC KR art. 166(1)(7)); checked by the case-deadline watchdog' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TravelRequestSchema = Type.Object(
  {
    client: Type.String(),
    requestedAtS: Type.Number({ minimum: 0 }),
    decidedAtS: Type.Number({ minimum: 0, description: 'when the officer decides; an approval becomes a permit then' }),
    decision: Type.Enum(['approve', 'deny']),
    category: Type.Optional(Type.Enum(PERMIT_CATEGORIES, { default: 'exceptional_circumstances' })),
    destinations: Type.Array(Type.String({ minLength: 2 }), { minItems: 1, description: 'level 2 unit ids, or ISO country codes (deferred sentence only)' }),
    corridor: Type.Optional(
      Type.Object(
        {
          road: Type.Optional(Type.String()),
          path: Type.Optional(Type.Array(LonLatSchema, { minItems: 2 })),
          halfWidthM: Type.Number({ exclusiveMinimum: 0, maximum: 50_000 }),
        },
        { additionalProperties: false, description: 'exactly one of road, path' },
      ),
    ),
    window: SpanS,
  },
  { additionalProperties: false },
);

const TravelStep = Type.Object(
  {
    waitS: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'stay where the wearer is' })),
    to: Type.Optional(PlaceSchema),
    via: Type.Optional(Type.Array(PlaceSchema, { description: 'waypoints before `to`' })),
    road: Type.Optional(Type.String({ description: 'drive a whole road of firmware-sim/roads.ts' })),
    reverse: Type.Optional(Type.Boolean({ description: 'drive the road from its end to its start' })),
    durationS: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'how long the leg takes (compressed time)' })),
    speedKmh: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false, description: 'exactly one of waitS, to, road; a leg needs durationS or speedKmh' },
);

export const MovementSchema = Type.Object(
  {
    from: PlaceSchema,
    wanderM: Type.Optional(Type.Number({ minimum: 0, maximum: 5000, description: 'random walk around `from` (only without steps)' })),
    steps: Type.Optional(Type.Array(TravelStep)),
  },
  { additionalProperties: false },
);

export const DEVICE_EVENT_KINDS = [
  'strap_cut',
  'strap_open',
  'strap_close',
  'case_open',
  'case_close',
  'battery_drain',
  'battery_flat',
  'charger_on',
  'charger_off',
  'gps_lost',
  'gps_regained',
] as const;

export const DeviceEventSchema = Type.Object(
  {
    atS: Type.Number({ minimum: 0 }),
    type: Type.Enum(DEVICE_EVENT_KINDS),
    pctPerHour: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'battery_drain: idle drain from now on' })),
    fallback: Type.Optional(Type.Enum(['wifi', 'cell'], { description: 'gps_lost: what positions the tag meanwhile (default wifi)' })),
  },
  { additionalProperties: false },
);

export const DeviceSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
    client: Type.String(),
    intervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'plan interval; default settings.intervalS' })),
    noiseM: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, default: 3, description: '1-sigma GNSS noise in the open, metres' })),
    outliers: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 0, description: 'multiplies the environments\' outlier rates' })),
    dishonestShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'share of outliers whose accuracy does not cover them' })),
    environment: Type.Optional(Type.Enum(ENVIRONMENTS, { default: 'open' })),
    batteryPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: 100 })),
    movement: MovementSchema,
    outages: Type.Optional(Type.Array(SpanS, { description: 'cellular link down: fixes are buffered and uploaded late' })),
    events: Type.Optional(Type.Array(DeviceEventSchema)),
  },
  { additionalProperties: false },
);

const WindowS = Type.Tuple([Type.Number(), Type.Number()], doc('[fromS, toS]: the alert opened (device time) within this window'));

export const ExpectationSchema = Type.Object(
  {
    alert: Type.Optional(Type.Enum(ALERT_TYPES, doc('expect at least one alert of this type (or exactly `count`)'))),
    noAlert: Type.Optional(Type.Union([Type.Enum(ALERT_TYPES), Type.Literal('any')], doc('expect no alert of this type (any: of any type)'))),
    client: Type.Optional(Type.String(doc('a client of this file; default: any client of this file'))),
    withinS: Type.Optional(WindowS),
    count: Type.Optional(Type.Integer({ minimum: 1, description: 'alert: exactly this many' })),
    closed: Type.Optional(Type.Boolean({ description: 'alert: closed (true) or still open (false) at the end' })),
  },
  { additionalProperties: false, description: 'exactly one of alert, noAlert' },
);

const RuleSettingsSchema = Type.Object(
  {
    marginM: Type.Optional(Type.Number({ minimum: 0, description: 'metres beyond the line before a fix is evidence' })),
    closeMarginM: Type.Optional(Type.Number({ minimum: 0 })),
    openZ: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'combined evidence (sigmas) that confirms an episode' })),
    closeZ: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    dwellS: Type.Optional(Type.Number({ minimum: 0 })),
    minFixes: Type.Optional(Type.Integer({ minimum: 1 })),
    closeDwellS: Type.Optional(Type.Number({ minimum: 0 })),
    closeMinFixes: Type.Optional(Type.Integer({ minimum: 1 })),
    correlationTimeS: Type.Optional(Type.Number({ minimum: 0, description: 'receiver error correlation time; default 2 (compressed time)' })),
  },
  { additionalProperties: false },
);

export const SettingsSchema = Type.Object(
  {
    intervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 1, description: 'devices\' plan interval, seconds' })),
    rules: Type.Optional(
      Type.Object(
        {
          residence_unit: Type.Optional(RuleSettingsSchema),
          country_border: Type.Optional(RuleSettingsSchema),
          exclusion_zone: Type.Optional(RuleSettingsSchema),
          curfew: Type.Optional(RuleSettingsSchema),
        },
        { additionalProperties: false, description: 'confirmation per rule; unset fields: dwellS 2 (curfew only), correlationTimeS 2, the platform\'s other values' },
      ),
    ),
    silence: Type.Optional(
      Type.Object(
        { factor: Type.Optional(Type.Number({ minimum: 1, maximum: 100, default: 3 })), graceS: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, default: 10 })) },
        { additionalProperties: false, description: 'no_communication after factor x interval + graceS of silence' },
      ),
    ),
    episodeIntervalS: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600, default: 5, description: 'interval commanded while a place episode is open' })),
    slaCriticalAckMinutes: Type.Optional(Type.Number({ minimum: 0.01, maximum: 1440, default: 5 })),
    noLocationAfterS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, default: 3, description: 'no_location: GNSS lost while moving and no good fix for this long' })),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    version: Type.Literal(1),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String()),
    durationS: Type.Number({ exclusiveMinimum: 0, maximum: 600, description: 'length of the timeline, seconds of wall-clock (= device) time' }),
    settings: Type.Optional(SettingsSchema),
    clients: Type.Array(ClientSchema, { minItems: 1 }),
    travelRequests: Type.Optional(Type.Array(TravelRequestSchema)),
    devices: Type.Array(DeviceSchema, { minItems: 1 }),
    expectations: Type.Array(ExpectationSchema, { minItems: 1 }),
  },
  { additionalProperties: false, title: 'Scenario (version 1)' },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type Place = Static<typeof PlaceSchema>;
export type Schedule = Static<typeof ScheduleSchema>;
export type ScenarioClient = Static<typeof ClientSchema>;
export type ScenarioDevice = Static<typeof DeviceSchema>;
export type ScenarioMovement = Static<typeof MovementSchema>;
export type ScenarioEvent = Static<typeof DeviceEventSchema>;
export type TravelRequest = Static<typeof TravelRequestSchema>;
export type Expectation = Static<typeof ExpectationSchema>;
export type ScenarioSettings = Static<typeof SettingsSchema>;
export type RuleSettings = Static<typeof RuleSettingsSchema>;
