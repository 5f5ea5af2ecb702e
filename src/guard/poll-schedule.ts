/** The guard's own poller settings, in milliseconds. */
export interface PollSchedule {
  /** The shortest gap: the policy's `min_poll_seconds`, or the guard's default. */
  readonly minMs: number;
  /** The longest gap. */
  readonly maxMs: number;
}

/**
 * The wait before status request `n` (0 for the first) of a job the guard tracks itself: starts
 * at the minimum and grows by half each time up to the cap (a job that has run long is likely to
 * run longer), never below `min_poll_seconds`.
 */
export function pollDelayMs(n: number, schedule: PollSchedule): number {
  const grown = schedule.minMs * 1.5 ** Math.max(0, n);
  return Math.max(schedule.minMs, Math.min(schedule.maxMs, grown));
}
