import { isEventProblem, readEvent, type AttemptEvent, type FailcostEvent, type LedgerQuery, type StoredEvent } from "../../src/core/index.js";

/**
 * A small in-memory ledger for the guard's tests: append (checking every event against the
 * spec with readEvent, and keeping identical events once), scan and jobEvents.
 */
export class MemorySink {
  readonly events: StoredEvent[] = [];
  readonly problems: string[] = [];
  private readonly keys = new Set<string>();
  appends = 0;
  failNext = 0;

  append(events: readonly StoredEvent[]): Promise<{ added: number; known: number }> {
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error("ledger unavailable (test)"));
    }
    this.appends++;
    let added = 0;
    for (const e of events) {
      const r = readEvent(JSON.parse(JSON.stringify(e.event)));
      // Every event the guard writes must pass the spec's reader: a bad one fails the test.
      if (isEventProblem(r)) {
        this.problems.push(`${r.why}: ${JSON.stringify(e.event)}`);
        return Promise.reject(new Error(`the guard wrote an event the spec refuses: ${r.why}: ${JSON.stringify(e.event)}`));
      }
      const key = JSON.stringify(e.event);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      this.events.push(e);
      added++;
    }
    return Promise.resolve({ added, known: events.length - added });
  }

  scan(_q: LedgerQuery, visit: (e: StoredEvent) => void): Promise<void> {
    for (const e of this.events) visit(e);
    return Promise.resolve();
  }

  jobEvents(job: string): Promise<StoredEvent[]> {
    return Promise.resolve(this.events.filter((e) => (e.event as AttemptEvent).job === job));
  }

  ofType(type: FailcostEvent["type"]): AttemptEvent[] {
    return this.events.map((e) => e.event as AttemptEvent).filter((e) => e.type === type);
  }

  all(): AttemptEvent[] {
    return this.events.map((e) => e.event as AttemptEvent);
  }
}
