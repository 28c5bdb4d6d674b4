/**
 * The interval between fixes: the monitoring plan's, unless the platform overrode it with
 * `set_interval`, possibly only `until` a time, after which the tag falls back to the plan by
 * itself (the platform need not be reachable to end a temporary 15 s regime).
 */
export class ReportingInterval {
  private override: { seconds: number; until: number | null } | null = null;

  constructor(readonly planSeconds: number) {
    // Fractions of a second are for load tests only; real plans are whole seconds.
    if (!(planSeconds > 0)) throw new Error(`a reporting interval must be positive, got ${planSeconds}`);
  }

  /** Seconds between fixes at time t. */
  at(t: number): number {
    if (this.override && (this.override.until === null || t < this.override.until)) return this.override.seconds;
    return this.planSeconds;
  }

  set(seconds: number, until: number | null): void {
    this.override = { seconds, until };
  }

  /** When the override ends (Infinity when there is none or it is open-ended). */
  overrideEndsAt(t: number): number {
    const o = this.override;
    return o && o.until !== null && o.until > t ? o.until : Infinity;
  }
}
