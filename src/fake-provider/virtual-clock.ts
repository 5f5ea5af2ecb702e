import { abortReason, type Clock } from "../guard/clock.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Virtual time for demos and tests: `sleep` waits on a timer queue instead of the wall clock,
 * and `run` jumps time to the next timer whenever nothing else can happen, so hours of jobs,
 * backoffs and polls take a moment and come out the same on every run. Real HTTP still flows:
 * requests on the wire (`wrapFetch`) hold time still until they are answered, except while
 * the server side waits on the clock itself (`parked`).
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers: Timer[] = [];
  private busy = 0;
  private parkedCount = 0;

  /**
   * `quantumMs` > 0 rounds every timer up to a multiple of it: no wait is ever shorter than
   * asked, and timers that fall together run together (a large run takes far fewer steps).
   */
  constructor(
    startMs = Date.UTC(2026, 10, 2, 9, 0, 0),
    private readonly quantumMs = 0,
  ) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  private due(ms: number): number {
    const at = this.t + Math.max(0, ms);
    return this.quantumMs > 0 ? Math.ceil(at / this.quantumMs) * this.quantumMs : at;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const timer: Timer = {
        at: this.due(ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        reject(abortReason(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** A server-side wait (a response's latency): it does not hold time still for the request. */
  async parked(ms: number): Promise<void> {
    this.parkedCount++;
    try {
      await this.sleep(ms);
    } finally {
      this.parkedCount--;
    }
  }

  /** A fetch whose requests hold time still until their whole body has arrived. */
  wrapFetch(inner: typeof fetch): typeof fetch {
    return async (input: RequestInfo | URL, init?: RequestInit) => {
      this.busy++;
      try {
        const res = await inner(input, init);
        const body = await res.arrayBuffer();
        const copy = new Response([101, 204, 205, 304].includes(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
        Object.defineProperty(copy, "url", { value: res.url });
        return copy;
      } finally {
        this.busy--;
      }
    };
  }

  /** Runs `main` to its end, moving time forward whenever everything is waiting on the clock. */
  async run<T>(main: () => Promise<T>): Promise<T> {
    let done = false;
    const p = main().finally(() => (done = true));
    p.catch(() => undefined);
    let idleTurns = 0;
    while (!done) {
      await turn();
      if (done) break;
      if (this.busy > this.parkedCount) {
        idleTurns = 0;
        await turn();
        continue;
      }
      // Let every continuation reach its next wait before time moves.
      if (++idleTurns < 3) continue;
      idleTurns = 0;
      if (this.timers.length === 0) throw new Error("virtual clock: nothing left to wait for, but the run has not finished");
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const at = this.timers[0]!.at;
      this.t = Math.max(this.t, at);
      while (this.timers.length > 0 && this.timers[0]!.at === at) this.timers.shift()!.resolve();
    }
    return p;
  }
}
