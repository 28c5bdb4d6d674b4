/** TypeBox schemas of the case API (docs/case-api.md): requests are validated, responses serialised by them. */
import { PROPOSAL_REASONS } from '../../infra/domain/violation-ladder.ts';
import { Type, type TSchema } from 'typebox';
import { DEFERRAL_ARRIVAL_BASES, OBLIGATIONS, PERMIT_CATEGORIES, PLACE_CHANGE_CONSENTS, PLACE_CHANGE_KINDS, PROPOSAL_KINDS, REGIME_KINDS, RISK_LEVELS, TRAVEL_REQUEST_STATUSES } from '../../infra/domain/types.ts';

import { ErrorBody } from '../routes/api/alerts.ts';

export { ErrorBody };

export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD, Asia/Bishkek' });
export const EpochMs = Type.Integer({ description: 'epoch milliseconds' });
/** One fitting of a tag on a client (device_assignments). */
export const Assignment = Type.Object({
  id: Type.String(), deviceId: Type.String(), clientId: Type.String(), fittedAt: EpochMs, removedAt: Type.Union([EpochMs, Type.Null()]),
  removalCode: Type.Union([Type.String(), Type.Null()], { description: 'removed, broken, lost or sentence_ended; null while fitted' }),
});
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });
export const Articles = Type.Array(Type.String(), { description: 'Citations, e.g. "PEC KR art. 168(2)"' });
const Person = Type.Object({ id: Type.String(), name: Type.String() });

export const ClientSummary = Type.Object({
  id: Type.String(),
  fullName: Type.String(),
  regime: Type.Enum(REGIME_KINDS),
  districtId: Type.String(),
  residenceUnitId: Type.String(),
  officer: Nullable(Person),
  riskLevel: Type.Enum(RISK_LEVELS),
  deviceId: Nullable(Type.String()),
  device: Nullable(Type.Object({
    battery: Nullable(Type.Integer()),
    strap: Nullable(Type.Enum(['open', 'closed'])),
    lastContactAt: Nullable(EpochMs),
    online: Nullable(Type.Boolean()),
  })),
  lastFix: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number(), accuracyM: Type.Number(), at: EpochMs })),
  nextCheckInAt: Nullable(CalendarDate),
  openAlerts: Type.Integer(),
});

export const NewClient = Type.Object(
  {
    fullName: Type.String({ minLength: 3, maxLength: 200 }),
    regime: Type.Enum(REGIME_KINDS),
    courtDecisionDate: CalendarDate,
    effectiveDate: Type.String({ format: 'date', description: 'The sentence (or the parole or deferral decision) took legal effect; for parole, the release' }),
    registeredOn: Type.Optional(Type.String({ format: 'date', description: 'Registration / first appearance at the office (term start for 62, 166(1)(1))' })),
    termMonths: Type.Integer({ minimum: 1, maximum: 600 }),
    residenceUnitId: Type.String({ minLength: 2, maxLength: 32 }),
    districtId: Type.Optional(Type.String({ minLength: 2, maxLength: 32, description: "Defaults to the officer's own district" })),
    officerId: Type.Optional(Uuid),
    riskLevel: Type.Optional(Type.Enum(RISK_LEVELS)),
    birthDate: Type.Optional(CalendarDate),
    address: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })),
    courtName: Type.Optional(Type.String({ minLength: 3, maxLength: 300 })),
    courtDuties: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 1000 }), { maxItems: 50 })),
    damagesOutstanding: Type.Optional(Type.Boolean()),
    plan: Type.Optional(Type.String({ minLength: 3, maxLength: 20000, description: 'Supervision (resocialization) plan, PEC KR art. 165(2)' })),
    deferralBasis: Type.Optional(Type.Enum(DEFERRAL_ARRIVAL_BASES, {
      description: 'Deferred sentences only (default court_decision): court_decision, 10 calendar days from the decision taking effect (PEC KR art. 160^2(2)); release_from_prison, 5 days from arriving at the place of residence (160^1(4))',
    })),
    arrivedAtResidenceOn: Type.Optional(Type.String({ format: 'date', description: 'release_from_prison only: the day the client arrived at the place of residence (160^1(4))' })),
    childBirthDate: Type.Optional(Type.String({ format: 'date', description: "Deferred sentences: the child's date of birth; the submission of PEC KR art. 160^4(3) is due when it turns 14" })),
  },
  { additionalProperties: false },
);

export const ClientUpdate = Type.Object(
  {
    courtName: Type.Optional(Type.String({ minLength: 3, maxLength: 300 })),
    address: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })),
    birthDate: Type.Optional(CalendarDate),
    riskLevel: Type.Optional(Type.Enum(RISK_LEVELS)),
    courtDuties: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 1000 }), { maxItems: 50 })),
    damagesOutstanding: Type.Optional(Type.Boolean()),
    officerId: Type.Optional(Uuid),
    childBirthDate: Type.Optional(Type.String({ format: 'date', description: "Deferred sentences: the child's date of birth (PEC KR art. 160^4(3))" })),
    childDiedOn: Type.Optional(Type.String({ format: 'date', description: 'Deferred sentences: the day the child died; the submission of PEC KR art. 160^4(3) is due at once' })),
    reason: Type.String({ minLength: 3, maxLength: 2000, description: 'Why the case file changes (audited)' }),
  },
  { additionalProperties: false },
);

const Zone = Type.Object({ id: Type.String(), kind: Type.String(), label: Type.String(), shape: Type.Unknown(), schedule: Type.Unknown() });
/** The way there and back of a trip: waypoints [lon, lat] and a half-width (the geofence's corridor). */
export const RouteSchema = Type.Object(
  {
    path: Type.Array(Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })]), { minItems: 2, maxItems: 1000 }),
    halfWidthM: Type.Number({ minimum: 50, maximum: 50_000 }),
  },
  { additionalProperties: false },
);

export const PermitSchema = Type.Object({
  id: Type.String(),
  clientId: Type.Optional(Type.String()),
  category: Type.Enum(PERMIT_CATEGORIES),
  destinationUnitIds: Type.Array(Type.String()),
  validFrom: EpochMs,
  validUntil: EpochMs,
  revokedAt: Nullable(EpochMs),
  travelRequestId: Nullable(Type.String()),
  route: Type.Optional(Nullable(RouteSchema)),
});

export const PlaceChangeSchema = Type.Object({
  id: Type.String(), kind: Type.Enum(PLACE_CHANGE_KINDS), newPlace: Type.String(),
  consent: Type.Enum(PLACE_CHANGE_CONSENTS, { description: 'What the regime requires: written_notice (PEC KR art. 166(1)(3)) or agreement (63(1)(3), 160^3(2)(3))' }),
  receivedOn: Nullable(CalendarDate), plannedOn: Nullable(CalendarDate),
  decision: Nullable(Type.Object({ agreed: Type.Boolean(), decidedOn: CalendarDate, reason: Nullable(Type.String()) })),
  changedOn: Nullable(CalendarDate),
  state: Type.Enum(['notified', 'awaiting_agreement', 'agreed', 'refused', 'changed', 'breach']),
  breach: Nullable(Type.Enum(['no_written_notice', 'notice_after_change', 'no_agreement', 'agreement_refused', 'agreement_after_change'])),
  articles: Articles,
  violationId: Nullable(Type.String()),
  createdAt: EpochMs,
});

export const InspectionSchema = Type.Object({
  id: Type.String(), inspectedOn: CalendarDate, actNumber: Type.String(), guardianshipRepresentative: Type.String(), findings: Type.String(), recordedAt: EpochMs,
});
export const LivingConditionsSchema = Type.Object({
  articles: Articles,
  nextDueOn: Nullable(CalendarDate),
  endsOn: Nullable(CalendarDate),
  inspections: Type.Array(InspectionSchema),
}, { description: "The quarterly inspection of a child's living conditions (PEC KR art. 167(2)); null in the case file where it does not apply" });

export const CaseFile = Type.Object({
  client: Type.Object({
    id: Type.String(), fullName: Type.String(), birthDate: Nullable(CalendarDate), address: Nullable(Type.String()), regime: Type.Enum(REGIME_KINDS),
    residenceUnitId: Type.String(), districtId: Type.String(), officer: Nullable(Person), riskLevel: Type.Enum(RISK_LEVELS), courtName: Nullable(Type.String()), createdAt: EpochMs,
    childBirthDate: Nullable(CalendarDate), childDiedOn: Nullable(CalendarDate),
  }),
  term: Type.Object({
    courtDecisionDate: CalendarDate, effectiveDate: CalendarDate, registeredOn: Nullable(CalendarDate), termMonths: Type.Integer(),
    termStart: Nullable(CalendarDate), termEnd: Nullable(CalendarDate), halfwayOn: Nullable(CalendarDate),
    // null while it cannot be known: released from prison under a deferment and not yet home (PEC KR art. 160^1(4))
    arrivalDeadline: Nullable(CalendarDate),
    deferralBasis: Nullable(Type.Enum(DEFERRAL_ARRIVAL_BASES)), arrivedAtResidenceOn: Nullable(CalendarDate),
    articles: Articles, damagesOutstanding: Type.Boolean(),
  }),
  arrivalDeadline: Nullable(CalendarDate),
  obligations: Type.Array(Type.Object({ obligation: Type.Enum(OBLIGATIONS), text: Type.String(), articles: Articles })),
  courtDuties: Type.Array(Type.String()),
  zones: Type.Array(Zone),
  permits: Type.Array(PermitSchema),
  device: Nullable(Type.Object({ id: Type.String(), status: Type.String(), reportIntervalS: Type.Integer(), battery: Nullable(Type.Integer()), online: Nullable(Type.Boolean()), lastContactAt: Nullable(EpochMs) })),
  deviceAssignments: Type.Array(Type.Object({
    id: Type.String(), deviceId: Type.String(), fittedAt: EpochMs, fittedBy: Nullable(Person), removedAt: Nullable(EpochMs), removedBy: Nullable(Person),
    reason: Type.String(), removalReason: Nullable(Type.String()),
  })),
  checkIns: Type.Array(Type.Object({ id: Type.String(), dueAt: CalendarDate, status: Type.Enum(['scheduled', 'attended', 'missed']), recordedAt: Nullable(EpochMs), validReason: Nullable(Type.String()), violationId: Nullable(Type.String()) })),
  plan: Nullable(Type.Object({ plan: Type.String(), assistanceRefused: Type.Boolean(), refusalAct: Nullable(Type.String()), updatedAt: EpochMs })),
  referrals: Type.Array(Type.Object({ id: Type.String(), agency: Type.String(), purpose: Type.String(), status: Type.String(), createdAt: EpochMs })),
  placeChanges: Type.Array(PlaceChangeSchema),
  livingConditions: Nullable(LivingConditionsSchema),
});

export const TrackSchema = Type.Object({
  fixes: Type.Array(Type.Object({ deviceId: Type.String(), seq: Type.Integer(), deviceTime: EpochMs, lon: Type.Number(), lat: Type.Number(), accuracyM: Type.Number(), source: Type.String() })),
  events: Type.Array(Type.Object({ deviceId: Type.String(), seq: Type.Integer(), deviceTime: EpochMs, type: Type.String(), data: Type.Record(Type.String(), Type.Unknown()) })),
  /** What the platform told the client's tags (adaptive reporting, episode intervals), and why. */
  commands: Type.Array(Type.Object({ deviceId: Type.String(), sentAt: EpochMs, command: Type.Record(Type.String(), Type.Unknown()), reason: Type.String() })),
  truncated: Type.Boolean(),
});

export const TravelRequestSchema = Type.Object({
  id: Type.String(),
  clientId: Type.String(),
  clientName: Type.String(),
  category: Type.Enum(PERMIT_CATEGORIES),
  relation: Nullable(Type.String()),
  circumstance: Nullable(Type.String()),
  destinationUnitIds: Type.Array(Type.String()),
  route: Nullable(RouteSchema),
  departAt: EpochMs,
  returnAt: EpochMs,
  travelDays: Type.Integer(),
  reason: Type.String(),
  submittedAt: EpochMs,
  decideBy: Nullable(EpochMs),
  status: Type.Enum(TRAVEL_REQUEST_STATUSES),
  deadline: Type.Enum(['ok', 'due_soon', 'breached', 'met', 'none'], {
    description: "Where the 24-hour decision deadline stands (PEC KR arts. 63(2)(3), 166(2)(3)); 'none' for a category the law gives no decision limit",
  }),
  decidedAt: Nullable(EpochMs),
  decisionReason: Nullable(Type.String()),
  permitId: Nullable(Type.String()),
  deadlineWarnedAt: Nullable(EpochMs),
  deadlineBreachedAt: Nullable(EpochMs),
  studyRegistrationOffice: Nullable(Type.String({ description: 'Study permits: the probation body at the place of study (PEC KR arts. 63(2)(2), 166(2)(2))' })),
  articles: Articles,
});

export const ViolationSchema = Type.Object({
  id: Type.String(),
  clientId: Type.String(),
  obligation: Type.Enum(OBLIGATIONS),
  articles: Articles,
  occurredAt: EpochMs,
  description: Nullable(Type.String()),
  validReason: Nullable(Type.String()),
  alert: Nullable(Type.Object({ id: Type.String(), type: Type.String() })),
  status: Type.Enum(['pending', 'decided', 'valid_reason'], { description: 'pending: awaits an officer\'s decision; decided: answered by a decision; valid_reason: recorded, never escalated' }),
  recordedAt: EpochMs,
});

export const ProposalSchema = Type.Object({
  kind: Type.Enum(PROPOSAL_KINDS),
  articles: Articles,
  why: Type.String(),
  reason: Type.Object({
    code: Type.Enum(PROPOSAL_REASONS, { description: 'Stable reason code; the UI words it in the officer\'s language' }),
    params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  }),
  violationIds: Type.Array(Type.String()),
});

export const DocumentMeta = Type.Object({
  id: Type.String(),
  kind: Type.Enum(PROPOSAL_KINDS),
  number: Type.String(),
  clientId: Type.String(),
  decisionId: Type.String(),
  evidenceSha256: Type.String({ description: 'SHA-256 of the evidence (dashboard/documents evidenceSha256), for the court to verify' }),
  createdAt: EpochMs,
  createdBy: Type.String(),
  docxBytes: Type.Integer(),
  pdfBytes: Type.Integer(),
});
