import { isEventProblem, readEvent, type Ledger, type StoredEvent } from "../../src/core/index.js";

/** Reads fixture lines into stored events (they are all valid). */
export function storedEvents(lines: readonly Record<string, unknown>[]): StoredEvent[] {
  return lines.map((l) => {
    const r = readEvent(l);
    if (isEventProblem(r)) throw new Error(r.why);
    return { event: r.event, micros: r.at.micros };
  });
}

/**
 * A ledger in memory for the view store's unit tests: scans return every event (the audit
 * applies the filters itself), which is what a ledger may do.
 */
export function memoryLedger(initial: readonly StoredEvent[] = []): Ledger & { scans: number } {
  const events: StoredEvent[] = [...initial];
  const snapshots = new Map<string, string>();
  let changes = 0;
  const ledger = {
    scans: 0,
    append(more: readonly StoredEvent[]) {
      events.push(...more);
      changes++;
      return Promise.resolve({ added: more.length, known: 0 });
    },
    scan(_q: unknown, visit: (e: StoredEvent) => void) {
      ledger.scans++;
      for (const e of events) visit(e);
      return Promise.resolve();
    },
    jobEvents(job: string) {
      const mine = events.filter((e) => e.event.type !== "charged" && e.event.job === job);
      const rids = new Set(mine.map((e) => (e.event.type !== "charged" ? e.event.request_id : undefined)).filter((r) => r !== undefined));
      const charges = events.filter((e) => e.event.type === "charged" && rids.has(e.event.request_id));
      return Promise.resolve([...mine, ...charges].sort((a, b) => a.micros - b.micros));
    },
    stats: () => Promise.resolve({ events: events.length, jobs: 0, attempts: 0 }),
    prune: () => Promise.resolve({ events: 0, jobs: 0 }),
    changeCount: () => Promise.resolve(changes),
    readSnapshot: (name: string) => Promise.resolve(snapshots.get(name)),
    writeSnapshot(name: string, value: string) {
      snapshots.set(name, value);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  return ledger;
}
