/**
 * Time as the guard sees it. Passed in so tests and the demo can run on virtual time: `now` in
 * milliseconds since the epoch (fractions allowed), `sleep` resolves after `ms` or rejects with
 * the signal's reason when it aborts. A `background` sleep (tracking orphans) need not keep the
 * process alive.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal, background?: boolean): Promise<void>;
}

/** Why a signal aborted, as an Error (a DOMException named AbortError where it gave none, as fetch does). */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  return new DOMException(typeof r === "string" ? r : "This operation was aborted", "AbortError");
}

/** The real clock: wall time with sub-millisecond resolution; background timers do not hold the process open. */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep(ms, signal, background) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, Math.ceil(ms)));
      if (background) timer.unref?.();
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};
