import type Database from "better-sqlite3";
import { LedgerError } from "../../errors.js";
import type { UpgradeListener } from "../open-ledger.js";

/**
 * The SQLite ledger's schema, one step per version; `PRAGMA user_version` says which steps a
 * file has had. Steps are never edited once released: a change is a new step, so an older
 * ledger is upgraded in place when it is opened.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: events, keyed by (time, hash of the canonical event); counters for stats and change tracking.
  `CREATE TABLE events (
     micros INTEGER NOT NULL,
     hash INTEGER NOT NULL,
     job TEXT,
     charge_rid TEXT,
     body TEXT NOT NULL
   );
   CREATE UNIQUE INDEX events_identity ON events (micros, hash);
   CREATE INDEX events_job ON events (job) WHERE job IS NOT NULL;
   CREATE INDEX events_charge ON events (charge_rid) WHERE charge_rid IS NOT NULL;
   CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO ledger_meta VALUES ('events', 0), ('changes', 0);`,
  // 2: an index of attempts (time range, provider, model, input hash), so a filtered scan finds
  // its jobs without reading events; filled from the events already there.
  `CREATE TABLE attempts (
     job TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     start INTEGER NOT NULL,
     last INTEGER NOT NULL,
     sub INTEGER,
     input_hash TEXT,
     request_id TEXT,
     PRIMARY KEY (job, attempt)
   ) WITHOUT ROWID;
   INSERT INTO attempts
     SELECT job, json_extract(body, '$.attempt'), min(json_extract(body, '$.provider')), min(json_extract(body, '$.model')),
            min(micros), max(micros),
            min(CASE WHEN json_extract(body, '$.type') = 'submitted' THEN micros END),
            min(CASE WHEN json_extract(body, '$.type') = 'submitted' THEN json_extract(body, '$.input_hash') END),
            min(json_extract(body, '$.request_id'))
     FROM events WHERE charge_rid IS NULL
     GROUP BY job, json_extract(body, '$.attempt');
   CREATE INDEX attempts_start ON attempts (start);
   CREATE INDEX attempts_hash ON attempts (input_hash) WHERE input_hash IS NOT NULL;`,
  // 3: named snapshots (computed reports, rollups) beside the events.
  `CREATE TABLE snapshots (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
  // 4: the indexes with random keys (input hashes, job names: a random id per job is common)
  // ordered first by blocks of 2^32 µs (about 72 minutes; TIME_BLOCK_BITS) of the time of
  // the event or submission, so an append touches their last blocks instead of rewriting pages
  // all over them. Charges stay indexed by the job they name (they come late, by request id).
  // Attempts move to a rowid table (rows appended in time order) with a narrow unique index by
  // job: the only part an append of random job ids writes all over. `time_blocks` lists the
  // blocks that hold attempt events, so a lookup over a wide span probes only those; a trigger
  // keeps it, so a writer that does not know it (an older failcost still running) cannot skip it.
  `CREATE TABLE attempts_v4 (
     job TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     start INTEGER NOT NULL,
     last INTEGER NOT NULL,
     sub INTEGER,
     input_hash TEXT,
     request_id TEXT
   );
   INSERT INTO attempts_v4 SELECT job, attempt, provider, model, start, last, sub, input_hash, request_id FROM attempts ORDER BY start;
   DROP TABLE attempts;
   ALTER TABLE attempts_v4 RENAME TO attempts;
   CREATE UNIQUE INDEX attempts_key ON attempts (job, attempt);
   CREATE INDEX attempts_start ON attempts (start, job, attempt);
   CREATE INDEX attempts_input ON attempts (sub >> 32, input_hash) WHERE input_hash IS NOT NULL;
   DROP INDEX events_job;
   CREATE INDEX events_job_time ON events (micros >> 32, job) WHERE job IS NOT NULL AND charge_rid IS NULL;
   CREATE INDEX events_charge_job ON events (job) WHERE job IS NOT NULL AND charge_rid IS NOT NULL;
   CREATE TABLE time_blocks (b INTEGER PRIMARY KEY);
   INSERT INTO time_blocks SELECT DISTINCT micros >> 32 FROM events WHERE job IS NOT NULL AND charge_rid IS NULL;
   CREATE TRIGGER events_time_block AFTER INSERT ON events WHEN new.job IS NOT NULL AND new.charge_rid IS NULL
   BEGIN INSERT OR IGNORE INTO time_blocks (b) VALUES (new.micros >> 32); END;`,
];

/** The schema version this build writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/**
 * Brings the file to `target` (default: the latest version), each step in its own transaction,
 * so a crash mid-upgrade leaves the file at the last completed step. Refuses a file written by a
 * newer failcost. `onUpgrade` is told first when an existing ledger is upgraded.
 */
export function migrateSqlite(db: Database.Database, file: string, target = SQLITE_SCHEMA_VERSION, onUpgrade?: UpgradeListener): void {
  const step = db.transaction((): boolean => {
    // Read inside the write lock: another process may have upgraded the file meanwhile.
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new LedgerError(`${file} is a ledger of schema version ${version}, newer than this failcost understands (${SQLITE_SCHEMA_VERSION}): upgrade failcost`, file);
    }
    if (version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
      if (tables.n > 0) throw new LedgerError(`${file} is an SQLite database but not a failcost ledger`, file);
    }
    if (version >= target) return false;
    db.exec(SQLITE_MIGRATIONS[version]!);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  // Up to date: no write lock needed (a reader opening the ledger never waits for a writer).
  const found = db.pragma("user_version", { simple: true }) as number;
  if (found === target) return;
  if (found > 0 && found < target) onUpgrade?.(found, target);
  while (step.immediate()) {
    // one step per transaction
  }
}
