import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { LedgerQuery } from "../../core/index.js";
import { LedgerError, messageOf } from "../../errors.js";
import type { EventRow } from "../event-row.js";
import { prepareBatch, type AttemptRow, type LedgerBatch } from "../ledger-batch.js";
import { queryBounds, type LedgerRow, type LedgerStore, type Page } from "../ledger-store.js";
import { migrateSqlite } from "./sqlite-migrations.js";
import { pruneSqlite } from "./sqlite-prune.js";

/** How an SQLite ledger is opened. */
export interface SqliteLedgerOptions {
  /** Create the file if it does not exist (default true); false: a missing file is an error. */
  readonly create?: boolean;
}

const FILTER = `a.start >= @since AND a.start < @until AND (@provider IS NULL OR a.provider = @provider) AND (@model IS NULL OR a.model = @model)`;
const FILTER_M = FILTER.replaceAll("a.", "m.");
const FILTER_B = FILTER.replaceAll("a.", "b.");
const JSON_LIST = "(SELECT value FROM json_each(?))";

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

function open(file: string, options: SqliteLedgerOptions): Database.Database {
  if (options.create === false && !existsSync(file)) throw new LedgerError(`no ledger at ${file} (run failcost ingest first)`, file);
  let db: Database.Database;
  try {
    if (options.create !== false) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: 30_000 });
    // New files only: larger pages hold more ~300-byte event rows and index entries per write
    // (about a quarter faster ingest); an existing ledger keeps its page size.
    db.pragma("page_size = 16384");
    // WAL: readers (the dashboard) never block the writer, nor the writer them. NORMAL sync is
    // safe against a killed process; a power cut may lose the last transactions, never corrupt.
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("cache_size = -65536");
    db.pragma("temp_store = MEMORY");
  } catch (e) {
    throw new LedgerError(`cannot open the ledger ${file}: ${messageOf(e)}`, file);
  }
  try {
    migrateSqlite(db, file);
  } catch (e) {
    db.close();
    if (e instanceof LedgerError) throw e;
    throw new LedgerError(`cannot open the ledger ${file}: ${messageOf(e)}`, file);
  }
  return db;
}

/** The SQLite ledger store (better-sqlite3: synchronous, so every call is one short step). */
export function openSqliteStore(file: string, options: SqliteLedgerOptions = {}): LedgerStore {
  const db = open(file, options);
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
  const meta = db.prepare("SELECT value FROM ledger_meta WHERE key = ?").pluck();
  const eventPage = db.prepare("SELECT rowid, micros, body FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?");
  const jobPage = db.prepare(
    `SELECT a.job, a.attempt, a.start FROM attempts a
     WHERE ${FILTER.replace("@since", "@from")} AND (a.start, a.job, a.attempt) > (@s, @j, @a)
       AND NOT EXISTS (SELECT 1 FROM attempts b WHERE b.job = a.job AND ${FILTER_B} AND (b.start, b.attempt) < (a.start, a.attempt))
     ORDER BY a.start, a.job, a.attempt LIMIT @limit`,
  );
  const eventsOfJobs = db.prepare(`SELECT micros, body FROM events WHERE job IN ${JSON_LIST}`);
  const chargesOf = db.prepare(`SELECT micros, body FROM events WHERE charge_rid IN ${JSON_LIST} AND (job IS NULL OR job NOT IN ${JSON_LIST})`);
  const context = db.prepare(
    `SELECT DISTINCT c.job FROM attempts a JOIN attempts c ON c.input_hash = a.input_hash AND c.job <> a.job
     WHERE a.job IN (SELECT value FROM json_each(@jobs)) AND a.input_hash IS NOT NULL
       AND coalesce(c.sub, c.start) BETWEEN coalesce(a.sub, a.start) - @window AND coalesce(a.sub, a.start)
       AND NOT EXISTS (SELECT 1 FROM attempts m WHERE m.job = c.job AND ${FILTER_M})`,
  );
  const readSnapshot = db.prepare("SELECT value FROM snapshots WHERE name = ?").pluck();
  const writeSnapshot = db.prepare("INSERT INTO snapshots (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value");

  const write = db.transaction((batch: LedgerBatch): number => {
    const added = insertEvents(batch.rows);
    // A batch of known events changes nothing; otherwise merge its attempts (min/max: idempotent).
    if (added === 0) return 0;
    upsertAttempts(batch.attempts);
    bump.run(added, "events");
    bump.run(1, "changes");
    return added;
  });

  return {
    write: (events) => Promise.resolve(write.immediate(prepareBatch(events))),
    eventPage(after, limit) {
      const items = eventPage.all(after ?? 0, limit) as { rowid: number; micros: number; body: string }[];
      return Promise.resolve({ items, next: items.length < limit ? undefined : items[items.length - 1]!.rowid });
    },
    jobPage(query: LedgerQuery, after, limit): Promise<Page<string>> {
      const [s, j, a] = (after as [number, string, number] | undefined) ?? [Number.MIN_SAFE_INTEGER, "", 0];
      const bounds = queryBounds(query);
      // The page starts where the last ended: one lower bound, so the index seeks to it.
      const found = jobPage.all({ ...bounds, from: Math.max(bounds.since, s), s, j, a, limit }) as { job: string; attempt: number; start: number }[];
      const last = found[found.length - 1];
      return Promise.resolve({ items: found.map((f) => f.job), next: found.length < limit || !last ? undefined : [last.start, last.job, last.attempt] });
    },
    eventsOfJobs: (jobs) => Promise.resolve(eventsOfJobs.all(JSON.stringify(jobs)) as LedgerRow[]),
    chargesOf: (rids, except) => Promise.resolve(chargesOf.all(JSON.stringify(rids), JSON.stringify(except)) as LedgerRow[]),
    duplicateContext: (jobs, window, query) => Promise.resolve(context.pluck().all({ ...queryBounds(query), jobs: JSON.stringify(jobs), window }) as string[]),
    stats() {
      const span = db.prepare("SELECT min(micros) AS first, max(micros) AS last FROM events").get() as { first: number | null; last: number | null };
      const counts = db.prepare("SELECT count(DISTINCT job) AS jobs, count(*) AS attempts FROM attempts").get() as { jobs: number; attempts: number };
      let bytes = 0;
      for (const f of [file, `${file}-wal`]) if (existsSync(f)) bytes += statSync(f).size;
      return Promise.resolve({
        events: meta.get("events") as number,
        jobs: counts.jobs,
        attempts: counts.attempts,
        ...(span.first !== null ? { firstMicros: span.first, lastMicros: span.last! } : {}),
        bytes,
      });
    },
    prune: (before) => Promise.resolve(pruneSqlite(db, before)),
    changeCount: () => Promise.resolve(meta.get("changes") as number),
    readSnapshot: (name) => Promise.resolve(readSnapshot.get(name) as string | undefined),
    async writeSnapshot(name, value) {
      writeSnapshot.run(name, value);
      return Promise.resolve();
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
