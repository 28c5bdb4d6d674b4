/**
 * The case and legal-workflow API (docs/case-api.md): Static types of the route schemas, imported
 * with `import type` so that nothing of the server ends up in the bundle.
 */
import type { Static } from 'typebox';
import type {
  CaseFile as CaseFileSchema,
  ClientSummary as ClientSummarySchema,
  PermitSchema,
  ProposalSchema,
  TrackSchema,
  TravelRequestSchema,
  ViolationSchema,
} from '../../../cases/schemas.ts';
import type { TRAVEL_REQUEST_STATUSES } from '../../../../infra/domain/types.ts';

export type ClientSummary = Static<typeof ClientSummarySchema>;
export type DeviceHealth = NonNullable<ClientSummary['device']>;
export type CaseFile = Static<typeof CaseFileSchema>;
export type ZoneInfo = CaseFile['zones'][number];
export type Permit = Static<typeof PermitSchema>;
export type Track = Static<typeof TrackSchema>;
export type TrackFix = Track['fixes'][number];
export type TravelRequest = Static<typeof TravelRequestSchema>;
export type TravelStatus = (typeof TRAVEL_REQUEST_STATUSES)[number];
export type Violation = Static<typeof ViolationSchema>;
export type Proposal = Static<typeof ProposalSchema>;

export interface ClientList {
  items: ClientSummary[];
  total: number;
}

export interface Proposals {
  items: Proposal[];
  /** Kinds the officer may decide now, the proposed ones and milder ladder steps. */
  decidable: Proposal['kind'][];
}

/** POST /clients/:id/decisions (its schema is not exported by the route file). */
export interface DecisionResult {
  id: string;
  kind: Proposal['kind'];
  accepted: boolean;
  document: { id: string; number: string; evidenceSha256: string } | null;
}

export const TRAVEL_STATUSES: readonly TravelStatus[] = ['pending', 'approved', 'denied', 'expired'];
