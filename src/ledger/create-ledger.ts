import type { FailcostEvent, Ledger, LedgerQuery, StoredEvent } from "../core/index.js";
import { eventOfBody } from "./event-row.js";
import type { LedgerRow, LedgerStore } from "./ledger-store.js";

/** How many rows or jobs one read asks for: bounds the memory a scan holds at once. */
const PAGE_ROWS = 5000;
const PAGE_JOBS = 500;

function isFiltered(q: LedgerQuery): boolean {
  return q.sinceMicros !== undefined || q.untilMicros !== undefined || q.provider !== undefined || q.model !== undefined;
}

function requestIdsOf(events: readonly FailcostEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) if (e.type !== "charged" && e.request_id !== undefined && e.request_id !== null) ids.add(e.request_id);
  return [...ids];
}

/**
 * A Ledger over a store: the parts both adapters share. Appends are written in one transaction; scans read in bounded pages: every event when
 * nothing is filtered, else the matching jobs, their charges, and the jobs duplicate detection
 * needs beside them.
 */
export function createLedger(store: LedgerStore): Ledger {
  const visitRows = (rows: readonly LedgerRow[], visit: (e: StoredEvent) => void): FailcostEvent[] => {
    const events: FailcostEvent[] = [];
    for (const r of rows) {
      const event = eventOfBody(r.body);
      events.push(event);
      visit({ event, micros: r.micros });
    }
    return events;
  };

  const scanAll = async (visit: (e: StoredEvent) => void): Promise<void> => {
    let after: unknown;
    do {
      const page = await store.eventPage(after, PAGE_ROWS);
      visitRows(page.items, visit);
      after = page.next;
    } while (after !== undefined);
  };

  const scanJobs = async (query: LedgerQuery, visit: (e: StoredEvent) => void): Promise<void> => {
    const context = new Set<string>();
    let after: unknown;
    do {
      const page = await store.jobPage(query, after, PAGE_JOBS);
      after = page.next;
      if (page.items.length === 0) continue;
      const events = visitRows(await store.eventsOfJobs(page.items), visit);
      const rids = requestIdsOf(events);
      if (rids.length > 0) visitRows(await store.chargesOf(rids, page.items), visit);
      if (query.duplicateWindowMicros === undefined) continue;
      const extra = (await store.duplicateContext(page.items, query.duplicateWindowMicros, query)).filter((j) => !context.has(j));
      for (const j of extra) context.add(j);
      if (extra.length > 0) visitRows(await store.eventsOfJobs(extra), visit);
    } while (after !== undefined);
  };

  return {
    async append(events) {
      if (events.length === 0) return { added: 0, known: 0 };
      const added = await store.write(events);
      return { added, known: events.length - added };
    },
    scan: (query, visit) => (isFiltered(query) ? scanJobs(query, visit) : scanAll(visit)),
    async jobEvents(job) {
      const out: StoredEvent[] = [];
      const events = visitRows(await store.eventsOfJobs([job]), (e) => out.push(e));
      const rids = requestIdsOf(events);
      if (rids.length > 0) visitRows(await store.chargesOf(rids, [job]), (e) => out.push(e));
      return out.sort((a, b) => a.micros - b.micros);
    },
    stats: () => store.stats(),
    prune: (before) => store.prune(before),
    changeCount: () => store.changeCount(),
    readSnapshot: (name) => store.readSnapshot(name),
    writeSnapshot: (name, value) => store.writeSnapshot(name, value),
    close: () => store.close(),
  };
}
