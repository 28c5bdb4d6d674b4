import type { Severity } from '../api/types.ts';

/** "1:02:03" or "4:05" from a duration in ms (sign ignored): countdowns read like clocks. */
export function clock(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

export type SlaState =
  | { kind: 'running'; leftMs: number }
  | { kind: 'breached'; overMs: number }
  | { kind: 'met' }
  | { kind: 'late'; overMs: number };

/**
 * Where an alert stands against its acknowledgement target: the clock starts when the alert was
 * raised (createdAt, as the SLA escalator's does) and stops at acknowledgement.
 */
export function slaState(alert: { severity: Severity; createdAt: number; acknowledgedAt: number | null }, slaMinutes: Record<Severity, number>, now: number): SlaState {
  const deadline = alert.createdAt + slaMinutes[alert.severity] * 60_000;
  if (alert.acknowledgedAt !== null) return alert.acknowledgedAt <= deadline ? { kind: 'met' } : { kind: 'late', overMs: alert.acknowledgedAt - deadline };
  return now <= deadline ? { kind: 'running', leftMs: deadline - now } : { kind: 'breached', overMs: now - deadline };
}

/** Today's calendar date in Asia/Bishkek (UTC+6, no DST), as the API writes dates: YYYY-MM-DD. */
export const bishkekToday = (now: number): string => new Date(now + 6 * 3_600_000).toISOString().slice(0, 10);

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** The queue's order (the API's `sort=severity`): most severe first, then newest, then id. */
export function compareAlerts(a: { severity: Severity; openedAt: number; id: string }, b: { severity: Severity; openedAt: number; id: string }): number {
  return SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.openedAt - a.openedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
