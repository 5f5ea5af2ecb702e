import type Database from "better-sqlite3";
import type { EventRow } from "../event-row.js";
import type { AttemptRow, LedgerBatch } from "../ledger-batch.js";

/** Rows per multi-row INSERT: one native call for many rows is several times faster. */
const ROWS_PER_STATEMENT = 50;

/**
 * An INSERT over many rows: `ROWS_PER_STATEMENT` rows per statement, then one at a time.
 * Returns a function that writes a list and says how many rows it changed.
 */
function multiRowStatement<T>(db: Database.Database, head: string, columns: number, tail: string, fill: (item: T, params: unknown[], at: number) => void): (items: readonly T[]) => number {
  const tuple = `(${Array<string>(columns).fill("?").join(", ")})`;
  const many = db.prepare(`${head} ${Array<string>(ROWS_PER_STATEMENT).fill(tuple).join(", ")} ${tail}`);
  const one = db.prepare(`${head} ${tuple} ${tail}`);
  const params: unknown[] = new Array<unknown>(ROWS_PER_STATEMENT * columns);
  const single: unknown[] = new Array<unknown>(columns);
  return (items) => {
    let changed = 0;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= items.length; i += ROWS_PER_STATEMENT) {
      for (let k = 0; k < ROWS_PER_STATEMENT; k++) fill(items[i + k]!, params, k * columns);
      changed += many.run(params).changes;
    }
    for (; i < items.length; i++) {
      fill(items[i]!, single, 0);
      changed += one.run(single).changes;
    }
    return changed;
  };
}

/**
 * The write of one batch on an open SQLite ledger, in one IMMEDIATE transaction: its events
 * (known ones skipped), then, if any was new, its attempt summaries and the counters. Returns
 * how many events were new. Used on the store's own connection and on its writer thread.
 */
export function prepareSqliteWrite(db: Database.Database): (batch: LedgerBatch) => number {
  const insertEvents = multiRowStatement<EventRow>(db, "INSERT INTO events (micros, hash, job, charge_rid, body) VALUES", 5, "ON CONFLICT DO NOTHING", (r, p, at) => {
    p[at] = r.micros;
    p[at + 1] = r.hash;
    p[at + 2] = r.job;
    p[at + 3] = r.chargeRid;
    p[at + 4] = r.body;
  });
  const upsertAttempts = multiRowStatement<AttemptRow>(
    db,
    "INSERT INTO attempts (job, attempt, provider, model, start, last, sub, input_hash, request_id) VALUES",
    9,
    `ON CONFLICT (job, attempt) DO UPDATE SET
       provider = min(provider, excluded.provider), model = min(model, excluded.model),
       start = min(start, excluded.start), last = max(last, excluded.last),
       sub = min(coalesce(sub, excluded.sub), coalesce(excluded.sub, sub)),
       input_hash = min(coalesce(input_hash, excluded.input_hash), coalesce(excluded.input_hash, input_hash)),
       request_id = min(coalesce(request_id, excluded.request_id), coalesce(excluded.request_id, request_id))`,
    (a, p, at) => {
      p[at] = a.job;
      p[at + 1] = a.attempt;
      p[at + 2] = a.provider;
      p[at + 3] = a.model;
      p[at + 4] = a.start;
      p[at + 5] = a.last;
      p[at + 6] = a.sub;
      p[at + 7] = a.inputHash;
      p[at + 8] = a.requestId;
    },
  );
  const bump = db.prepare("UPDATE ledger_meta SET value = value + ? WHERE key = ?");
  const write = db.transaction((batch: LedgerBatch): number => {
    const added = insertEvents(batch.rows);
    // A batch of known events changes nothing; otherwise merge its attempts (min/max: idempotent).
    if (added === 0) return 0;
    upsertAttempts(batch.attempts);
    bump.run(added, "events");
    bump.run(1, "changes");
    return added;
  });
  return (batch) => write.immediate(batch);
}
