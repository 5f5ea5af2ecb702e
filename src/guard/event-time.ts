let cachedSecond = NaN;
let cachedPrefix = "";

/** Microseconds since the epoch as ISO 8601 with six decimals and `Z`: `2026-11-01T10:00:00.123456Z`. */
export function isoMicros(micros: number): string {
  const second = Math.floor(micros / 1_000_000);
  if (second !== cachedSecond) {
    // The date and time up to the second, made once a second (events come in bursts).
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return `${cachedPrefix}.${String(micros - second * 1_000_000).padStart(6, "0")}Z`;
}

/**
 * Event times that only go forward: each call returns a later microsecond than the one before,
 * so two events of one attempt never share a time (the ledger keeps identical events once).
 */
export class EventClock {
  private last = 0;

  constructor(private readonly nowMs: () => number) {}

  /** The next event time, in µs since the epoch. */
  next(): number {
    const now = Math.floor(this.nowMs() * 1000);
    this.last = now > this.last ? now : this.last + 1;
    return this.last;
  }
}
