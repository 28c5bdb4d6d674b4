/**
 * Which assignment a fix or event belongs to: the one that was current at its device time, not
 * the one current when it arrives. A tag removed from one client and fitted on another may still
 * deliver store-and-forward fixes from the first; they are that client's track and evidence. Pure.
 */
import type { SupervisionContext } from '../geofence/index.ts';

/** A fitting of a tag on a client over [from, to) in device time; to null while it lasts. */
export interface AssignmentSpan {
  /** device_assignments.id; null for a tag fitted before the evidence chain was recorded. */
  id: string | null;
  clientId: string;
  from: number;
  to: number | null;
  /** The client's supervision context (null if the client's case cannot be evaluated). */
  context: SupervisionContext | null;
}

/** What a device's assignments say about a device time. */
export type Owner =
  | { kind: 'current'; span: AssignmentSpan }
  | { kind: 'past'; span: AssignmentSpan & { to: number } }
  | { kind: 'none' };

const NONE: Owner = { kind: 'none' };

export interface Assignments {
  /** The assignment in force now, if the tag is fitted. */
  current: AssignmentSpan | null;
  /** Assignments that ended recently enough for late data to still arrive, any order. */
  past: readonly (AssignmentSpan & { to: number })[];
}

export function ownerAt(a: Assignments | null | undefined, deviceTime: number): Owner {
  if (!a) return NONE;
  // Ended spans first: a tag fitted before the evidence chain was recorded has a current span
  // reaching back to the start of time, and a recorded earlier fitting must still win over it.
  for (const span of a.past) if (deviceTime >= span.from && deviceTime < span.to) return { kind: 'past', span };
  const c = a.current;
  if (c && deviceTime >= c.from) return { kind: 'current', span: c };
  return NONE;
}

/**
 * The rule_state rows of an ended assignment are kept under this prefix (moved there at removal,
 * dashboard/cases/device-assignment.ts): the tag's next client starts with a clean state, and late
 * data from the old fitting is judged against what was known of it.
 */
export const pastRulePrefix = (assignmentId: string) => `a:${assignmentId}:`;
