import { startBackoff, type BackoffSpec, type BackoffState } from "./backoff.js";
import type { Prng } from "./prng.js";

/** The contention experiment of the AWS Architecture Blog's backoff post. */
export interface OccOptions {
  /** Clients contending for one row; each stops after one successful write. */
  readonly clients: number;
  readonly backoff: BackoffSpec;
  /** Network delay per message: |Normal(mean, sd)| (default 10 ms, 2 ms). */
  readonly delayMean?: number;
  readonly delaySd?: number;
}

/** What one run cost: conditional writes sent (work), and when the last client finished. */
export interface OccResult {
  readonly calls: number;
  readonly failures: number;
  readonly time: number;
}

interface Message {
  readonly at: number;
  readonly seq: number;
  readonly client: number;
  readonly kind: "read" | "read_reply" | "write" | "write_reply";
  readonly value: number | boolean;
}

/** A binary heap of messages by time, then by sending order (so ties are deterministic). */
class Queue {
  private readonly items: Message[] = [];
  get size(): number {
    return this.items.length;
  }
  private less(a: Message, b: Message): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  push(m: Message): void {
    const h = this.items;
    h.push(m);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Message {
    const h = this.items;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Simulates clients updating one row of an optimistic-concurrency store: each reads the
 * version, writes conditionally, and on a conflict backs off and starts over. A discrete-event
 * simulation: time only moves when a message arrives. Only writes count as calls, as in the
 * post's simulator.
 */
export function simulateOcc(options: OccOptions, prng: Prng): OccResult {
  const mean = options.delayMean ?? 10;
  const sd = options.delaySd ?? 2;
  const delay = (): number => Math.abs(prng.normal(mean, sd));
  const queue = new Queue();
  let seq = 0;
  const send = (at: number, client: number, kind: Message["kind"], value: number | boolean = 0): void => queue.push({ at, seq: seq++, client, kind, value });
  const backoffs: BackoffState[] = [];
  const attempts: number[] = [];
  for (let c = 0; c < options.clients; c++) {
    backoffs.push(startBackoff(options.backoff, prng));
    attempts.push(0);
    send(delay(), c, "read");
  }
  let version = 0;
  let calls = 0;
  let failures = 0;
  let now = 0;
  while (queue.size > 0) {
    const m = queue.pop();
    now = m.at;
    switch (m.kind) {
      case "read":
        send(now + delay(), m.client, "read_reply", version);
        break;
      case "read_reply":
        send(now + delay(), m.client, "write", m.value);
        break;
      case "write": {
        calls++;
        const ok = m.value === version;
        if (ok) version++;
        else failures++;
        send(now + delay(), m.client, "write_reply", ok);
        break;
      }
      case "write_reply":
        if (m.value === false) {
          const n = ++attempts[m.client]!;
          send(now + delay() + backoffs[m.client]!.delay(n), m.client, "read");
        }
        break;
    }
  }
  return { calls, failures, time: now };
}
