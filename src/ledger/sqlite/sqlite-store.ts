import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { LedgerQuery } from "../../core/index.js";
import { LedgerError, messageOf } from "../../errors.js";
import { prepareBatch } from "../ledger-batch.js";
import { packBatch } from "../packed-batch.js";
import { queryBounds, type LedgerRow, type LedgerStore, type Page } from "../ledger-store.js";
import { tuneConnection } from "./sqlite-connection.js";
import { attemptEventsSql, duplicateCandidatesSql } from "./sqlite-job-events.js";
import { migrateSqlite } from "./sqlite-migrations.js";
import { pruneSqlite } from "./sqlite-prune.js";
import { prepareSqliteWrite } from "./sqlite-write.js";
import { startSqliteWriter, type SqliteWriter } from "./sqlite-writer.js";
import type { UpgradeListener } from "../open-ledger.js";

/** How an SQLite ledger is opened. */
export interface SqliteLedgerOptions {
  /** Create the file if it does not exist (default true); false: a missing file is an error. */
  readonly create?: boolean;
  /**
   * Batches of at least this many events are written on a writer thread, while this thread
   * builds the next batch's rows (default 2,000; Infinity: never). Smaller batches (the
   * guard's few events) are written here, where a round trip would cost more than it saves.
   */
  readonly writerThreadEvents?: number;
  /** See OpenLedgerOptions.onUpgrade. */
  readonly onUpgrade?: UpgradeListener;
}

/** See SqliteLedgerOptions.writerThreadEvents. */
const WRITER_THREAD_EVENTS = 2000;

const FILTER = `a.start >= @since AND a.start < @until AND (@provider IS NULL OR a.provider = @provider) AND (@model IS NULL OR a.model = @model)`;
const FILTER_M = FILTER.replaceAll("a.", "m.");
const FILTER_B = FILTER.replaceAll("a.", "b.");
const JSON_LIST = "(SELECT value FROM json_each(?))";

function open(file: string, options: SqliteLedgerOptions): Database.Database {
  if (options.create === false && !existsSync(file)) throw new LedgerError(`no ledger at ${file} (run failcost ingest first)`, file);
  let db: Database.Database;
  try {
    if (options.create !== false) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: 30_000 });
    // New files only: larger pages hold more ~300-byte event rows and index entries per write
    // (about a quarter faster ingest); an existing ledger keeps its page size.
    db.pragma("page_size = 16384");
    tuneConnection(db);
  } catch (e) {
    throw new LedgerError(`cannot open the ledger ${file}: ${messageOf(e)}`, file);
  }
  try {
    migrateSqlite(db, file, undefined, options.onUpgrade);
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
  const meta = db.prepare("SELECT value FROM ledger_meta WHERE key = ?").pluck();
  const eventPage = db.prepare("SELECT rowid, micros, body FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?");
  const jobPage = db.prepare(
    `SELECT a.job, a.attempt, a.start FROM attempts a
     WHERE ${FILTER.replace("@since", "@from")} AND (a.start, a.job, a.attempt) > (@s, @j, @a)
       AND NOT EXISTS (SELECT 1 FROM attempts b WHERE b.job = a.job AND ${FILTER_B} AND (b.start, b.attempt) < (a.start, a.attempt))
     ORDER BY a.start, a.job, a.attempt LIMIT @limit`,
  );
  // A job's attempt events lie between its attempts' first and last times; charges that name a
  // job have their own index.
  const eventsOfJobs = db.prepare(
    `${attemptEventsSql(`job IN ${JSON_LIST}`, "ev.micros, ev.body")}
     UNION ALL
     SELECT micros, body FROM events WHERE job IN ${JSON_LIST} AND job IS NOT NULL AND charge_rid IS NOT NULL`,
  );
  const chargesOf = db.prepare(`SELECT micros, body FROM events WHERE charge_rid IN ${JSON_LIST} AND (job IS NULL OR job NOT IN ${JSON_LIST})`);
  const context = db.prepare(duplicateCandidatesSql(`NOT EXISTS (SELECT 1 FROM attempts m WHERE m.job = c.job AND ${FILTER_M})`));
  const readSnapshot = db.prepare("SELECT value FROM snapshots WHERE name = ?").pluck();
  const writeSnapshot = db.prepare("INSERT INTO snapshots (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value");

  const writeHere = prepareSqliteWrite(db);
  const threshold = options.writerThreadEvents ?? WRITER_THREAD_EVENTS;
  let writer: SqliteWriter | undefined;
  // Writes run one after another, in the order they were asked for, on either connection.
  let last: Promise<unknown> = Promise.resolve();

  return {
    write(events) {
      // The rows are built (and packed) now, while an earlier batch may still be written on the
      // writer thread.
      const batch = prepareBatch(events);
      let written: Promise<number>;
      if (events.length >= threshold) {
        const packed = packBatch(batch);
        written = last.then(() => (writer ??= startSqliteWriter(file)).write(packed));
      } else written = last.then(() => writeHere(batch));
      last = written.catch(() => undefined);
      return written;
    },
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
    eventsOfJobs: (jobs) => Promise.resolve(eventsOfJobs.all(JSON.stringify(jobs), JSON.stringify(jobs)) as LedgerRow[]),
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
    // Writes on this connection wait for those on the writer thread, so neither waits on a lock.
    prune: (before) => last.then(() => pruneSqlite(db, before)),
    changeCount: () => Promise.resolve(meta.get("changes") as number),
    readSnapshot: (name) => Promise.resolve(readSnapshot.get(name) as string | undefined),
    async writeSnapshot(name, value) {
      await last;
      writeSnapshot.run(name, value);
    },
    async close() {
      await last;
      await writer?.close();
      db.close();
    },
  };
}
