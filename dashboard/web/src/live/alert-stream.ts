import type { Alert } from '../api/types.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';
type AlertListener = (event: string, alert: Alert) => void;
type StatusListener = (status: StreamStatus) => void;

const EVENTS = ['alert.raised', 'alert.updated', 'alert.escalated'] as const;
/** A travel request's 24-hour decision deadline nearing or passed (alerts/case-deadline-watchdog.ts). */
const TRAVEL_EVENTS = ['travel_request.deadline_near', 'travel_request.deadline_breached'] as const;
type TravelListener = (event: string, request: { id: string; clientId: string; decideBy: number }) => void;

/**
 * One EventSource on /api/alerts/stream per signed-in page, shared by the views. The browser
 * reconnects by itself after a drop; views re-read their page on reconnect so nothing is missed.
 */
export class AlertStream {
  private source: EventSource | null = null;
  private readonly alertListeners = new Set<AlertListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly travelListeners = new Set<TravelListener>();
  status: StreamStatus = 'connecting';

  open(): void {
    if (this.source) return;
    const s = new EventSource('/api/alerts/stream');
    this.source = s;
    s.onopen = () => this.setStatus('live');
    s.onerror = () => this.setStatus('reconnecting');
    for (const ev of EVENTS) s.addEventListener(ev, (e) => {
      const alert = JSON.parse((e as MessageEvent<string>).data) as Alert;
      for (const l of this.alertListeners) l(ev, alert);
    });
    for (const ev of TRAVEL_EVENTS) s.addEventListener(ev, (e) => {
      const request = JSON.parse((e as MessageEvent<string>).data) as { id: string; clientId: string; decideBy: number };
      for (const l of this.travelListeners) l(ev, request);
    });
  }

  close(): void {
    this.source?.close();
    this.source = null;
  }

  onAlert(l: AlertListener): () => void {
    this.alertListeners.add(l);
    return () => this.alertListeners.delete(l);
  }

  onTravelRequest(l: TravelListener): () => void {
    this.travelListeners.add(l);
    return () => this.travelListeners.delete(l);
  }

  onStatus(l: StatusListener): () => void {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
  }

  private setStatus(s: StreamStatus): void {
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }
}
