import type { AlertType, Severity } from '../infra/domain/types.ts';

/**
 * What ingest asks the alerts service to do, written to the outbox in the same transaction as the
 * fixes that caused it. The episode key is deterministic (device, rule, opening device time), so a
 * replayed intent names the same alert.
 */
export type AlertIntent =
  | {
      kind: 'open';
      episodeKey: string;
      clientId: string;
      /** Null for alerts about the client rather than a tag (missed_appearance). */
      deviceId: string | null;
      type: AlertType;
      severity: Severity;
      /** Device time of the fix that opened the episode, epoch ms. */
      at: number;
      /** Where it happened, for place alerts; null for device alerts. */
      lon: number | null;
      lat: number | null;
      details: Record<string, unknown>;
    }
  | {
      kind: 'close';
      episodeKey: string;
      at: number;
      /** Close only if the alert exists: for episodes that may never have been raised (silence). */
      ifExists?: boolean;
    }
  | {
      /** Late data showed a known episode's true start (earlier) or end (once it is closed). */
      kind: 'amend';
      episodeKey: string;
      at?: number;
      end?: number;
    }
  | {
      /** A rule is suspected: ask the tag to report every intervalS until `until` (device time). */
      kind: 'report_fast';
      deviceId: string;
      intervalS: number;
      at: number;
      until: number;
      ruleId: string;
    }
  | {
      /** Nothing is suspected any more: back to the monitoring plan's interval. */
      kind: 'report_plan';
      deviceId: string;
      at: number;
    };

export const ALERT_INTENT_QUEUE = 'alert-intents';

export function episodeKey(deviceId: string, ruleId: string, openedAt: number): string {
  return `${deviceId}:${ruleId}:${openedAt}`;
}
