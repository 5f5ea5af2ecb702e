// Where an SQLite append's time goes: the same 1M generated events (the ledger section's
// workload) written batch by batch on this thread into fresh files, with the events table's
// indexes added one at a time, with and without the attempt index and its index by input hash
// (and time block); and what handing a batch to the writer thread costs, packed or
// structured-cloned. --random-job-ids: job ids as random as UUIDs (the rest of the log the same).
// --grow=N: instead, N million events into one growing file, seconds per million.
//   npm run bench -- ledger-parts [--events=1000000] [--random-job-ids] [--grow=3]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { isEventProblem, readEvent, type StoredEvent } from "../../src/core/index.js";
import { prepareBatch, type LedgerBatch } from "../../src/ledger/ledger-batch.js";
import { packBatch, packedBuffers, unpackBatch } from "../../src/ledger/packed-batch.js";
import { tuneConnection } from "../../src/ledger/sqlite/sqlite-connection.js";
import { migrateSqlite } from "../../src/ledger/sqlite/sqlite-migrations.js";
import { prepareSqliteWrite } from "../../src/ledger/sqlite/sqlite-write.js";
import { generateEventLines } from "../generate-events.js";
import type { BenchSection } from "../run.js";

const BATCH = 10_000;

/** The ledger section's workload, batch by batch, prepared as the store prepares them. */
function* preparedBatchStream(events: number, randomJobIds: boolean): Generator<LedgerBatch> {
  let batch: StoredEvent[] = [];
  for (const line of generateEventLines({ events, seed: 42, jobGapMs: 3000, randomJobIds })) {
    const r = readEvent(JSON.parse(line));
    if (isEventProblem(r)) throw new Error(r.why);
    batch.push({ event: r.event, micros: r.at.micros });
    if (batch.length === BATCH) {
      yield prepareBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield prepareBatch(batch);
}

/**
 * `--grow=N`: N million events written into one growing file, the seconds of each million's
 * writes (preparing them not timed): whether an append slows as the ledger grows.
 */
function growth(dir: string, millions: number, randomJobIds: boolean): void {
  const db = freshLedger(dir, "grow", "");
  const write = prepareSqliteWrite(db);
  console.log(`${millions} million events into one file, batches of ${BATCH.toLocaleString("en-US")}${randomJobIds ? ", random job ids" : ""}; seconds of writes per million:\n`);
  console.log("| million | seconds |");
  console.log("| --- | --- |");
  let ms = 0;
  let n = 0;
  let row = 0;
  for (const b of preparedBatchStream(millions * 1_000_000, randomJobIds)) {
    const t = performance.now();
    write(b);
    ms += performance.now() - t;
    n += b.rows.length;
    if (n >= 1_000_000) {
      console.log(`| ${++row} | ${(ms / 1000).toFixed(2)} |`);
      ms = 0;
      n -= 1_000_000;
    }
  }
  db.close();
}

/** A fresh ledger file set up as the store sets one up, then `adjust` run on it. */
function freshLedger(dir: string, name: string, adjust: string): Database.Database {
  const file = join(dir, `${name}.db`);
  const db = new Database(file);
  db.pragma("page_size = 16384");
  tuneConnection(db);
  migrateSqlite(db, file);
  if (adjust !== "") db.exec(adjust);
  return db;
}

/** Seconds to write every batch, one transaction each, through the store's own write. */
function timeWrites(db: Database.Database, batches: readonly LedgerBatch[]): number {
  const write = prepareSqliteWrite(db);
  const t = performance.now();
  for (const b of batches) write(b);
  const s = (performance.now() - t) / 1000;
  db.close();
  return s;
}

const DROP_CHARGE_INDEXES = "DROP INDEX events_charge; DROP INDEX events_charge_job;";
const DROP_EVENT_INDEXES = `DROP INDEX events_identity; DROP INDEX events_job_time; ${DROP_CHARGE_INDEXES}`;

export const section: BenchSection = {
  name: "ledger-parts: where an SQLite append's time goes",
  run(args) {
    const events = Number(args.find((a) => a.startsWith("--events="))?.slice(9) ?? 1_000_000);
    const randomJobIds = args.includes("--random-job-ids");
    const grow = args.find((a) => a.startsWith("--grow="));
    if (grow !== undefined) {
      const dir = mkdtempSync(join(tmpdir(), "failcost-bench-grow-"));
      try {
        growth(dir, Number(grow.slice(7)), randomJobIds);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return Promise.resolve();
    }
    const batches = [...preparedBatchStream(events, randomJobIds)];
    const attempts = batches.reduce((n, b) => n + b.attempts.length, 0);
    const noAttempts = batches.map((b) => ({ rows: b.rows, attempts: [] }));
    const dir = mkdtempSync(join(tmpdir(), "failcost-bench-parts-"));
    try {
      console.log(`${events.toLocaleString("en-US")} events, ${attempts.toLocaleString("en-US")} attempts, batches of ${BATCH.toLocaleString("en-US")}${randomJobIds ? ", random job ids" : ""}; seconds on one thread, each case a fresh file:\n`);
      console.log("| case | seconds |");
      console.log("| --- | --- |");
      const cases: [string, string, readonly LedgerBatch[]][] = [
        ["events table without indexes", DROP_EVENT_INDEXES, noAttempts],
        ["+ identity index", `DROP INDEX events_job_time; ${DROP_CHARGE_INDEXES}`, noAttempts],
        ["+ index by time block and job", DROP_CHARGE_INDEXES, noAttempts],
        ["events table as it is (+ charge indexes)", "", noAttempts],
        ["+ attempt index, without its index by input hash and time block", "DROP INDEX attempts_input;", batches],
        ["the whole write (+ index by input hash and time block)", "", batches],
      ];
      for (const [label, adjust, input] of cases) console.log(`| ${label} | ${timeWrites(freshLedger(dir, label.replace(/\W+/g, "-"), adjust), input).toFixed(2)} |`);

      // Handing batches to the writer thread: both directions of the copy, on this thread.
      let t = performance.now();
      for (const b of batches) structuredClone(b);
      const cloned = (performance.now() - t) / 1000;
      t = performance.now();
      for (const b of batches) {
        const p = packBatch(b);
        unpackBatch(structuredClone(p, { transfer: packedBuffers(p) }));
      }
      const packed = (performance.now() - t) / 1000;
      console.log(`\nhanding the batches to another thread: structured clone of the rows ${cloned.toFixed(2)} s; packed, cloned and unpacked ${packed.toFixed(2)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return Promise.resolve();
  },
};
