// The ledger's figures: events/s appended into SQLite and PostgreSQL, events/s ingested from a
// JSON Lines file, size on disk per million events, and audits of the large ledger (whole, and
// a fifth of its time span: how many rows each reads); then appends with random job ids.
//   npm run bench ledger                          # 1M events (bench/generate-events.ts, seed 42); PostgreSQL too when FAILCOST_TEST_PG is set
//   npm run bench ledger -- --events=100000       # a quick run
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { isEventProblem, readEvent, type Ledger, type Policy, type StoredEvent } from "../../src/core/index.js";
import { auditLedger } from "../../src/ledger/audit-ledger.js";
import { ingestFiles } from "../../src/ledger/ingest-files.js";
import { prepareBatch } from "../../src/ledger/ledger-batch.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import { loadPolicies } from "../../src/policies/load-policies.js";
import { generateEventLines, writeEventsFile } from "../generate-events.js";
import type { BenchSection } from "../run.js";

const BATCH = 10_000;

function option(args: readonly string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** The synthetic workload: about 10 events a job, a job every 3 s, so a million events span about 3 days. */
const WORKLOAD = { seed: 42, jobGapMs: 3000 };

/**
 * `events` events in batches, as the ledger takes them (generating them is not timed); with
 * `randomJobIds`, job ids as random as UUIDs (the rest of the log the same).
 */
function* batches(events: number, randomJobIds = false): Generator<StoredEvent[]> {
  let batch: StoredEvent[] = [];
  for (const line of generateEventLines({ events, ...WORKLOAD, randomJobIds })) {
    const r = readEvent(JSON.parse(line));
    if (isEventProblem(r)) throw new Error(r.why);
    batch.push({ event: r.event, micros: r.at.micros });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Appends as `failcost ingest` does, the next batch's append started (its rows built) while the
 * one before it is written, timing only the appends (the events are generated first): wall-clock
 * seconds, and this process's CPU seconds (all its threads).
 */
async function timeAppend(ledger: Ledger, events: number, randomJobIds = false): Promise<{ seconds: number; cpu: number; added: number }> {
  const all = [...batches(events, randomJobIds)];
  let added = 0;
  const t = performance.now();
  const c = process.cpuUsage();
  let writing: Promise<void> | undefined;
  for (const b of all) {
    const appended = ledger.append(b).then((r) => {
      added += r.added;
    });
    await writing;
    writing = appended;
  }
  await writing;
  const used = process.cpuUsage(c);
  return { seconds: (performance.now() - t) / 1000, cpu: (used.user + used.system) / 1e6, added };
}

/** Building the rows alone (canonical body, identity, attempt index), as every append does first. */
function timePrepare(events: number): number {
  let ms = 0;
  for (const b of batches(events)) {
    const t = performance.now();
    prepareBatch(b);
    ms += performance.now() - t;
  }
  return ms / 1000;
}

const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString("en-US")} events/s`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

async function audits(ledger: Ledger, label: string, policies: readonly Policy[]): Promise<void> {
  const stats = await ledger.stats();
  let t = performance.now();
  const whole = await auditLedger(ledger, { policies });
  const wholeS = (performance.now() - t) / 1000;
  console.log(`${label} audit, whole ledger: ${wholeS.toFixed(1)} s, read ${whole.events.toLocaleString("en-US")} of ${stats.events.toLocaleString("en-US")} events (${rate(whole.events, wholeS)})`);
  // A fifth of the ledger's time span, as --since/--until would give.
  const fifth = Math.floor((stats.lastMicros! - stats.firstMicros!) / 5);
  const from = stats.firstMicros! + fifth;
  t = performance.now();
  const part = await auditLedger(ledger, { policies, sinceMicros: from, untilMicros: from + fifth });
  const partS = (performance.now() - t) / 1000;
  console.log(`${label} audit, a fifth of the time span (--since/--until): ${partS.toFixed(2)} s, read ${part.events.toLocaleString("en-US")} of ${stats.events.toLocaleString("en-US")} events for ${part.jobs.toLocaleString("en-US")} jobs`);
}

async function benchSqlite(file: string, events: number, policies: readonly Policy[]): Promise<void> {
  const sqlite = await openLedger(file);
  const { seconds, cpu, added } = await timeAppend(sqlite, events);
  console.log(`SQLite append: ${added.toLocaleString("en-US")} events in ${seconds.toFixed(1)} s: ${rate(added, seconds)} (${rate(added, cpu)} of CPU time, both threads)`);
  const prepare = timePrepare(events);
  console.log(`  of which building rows (canonical body, identity, attempt index): ${prepare.toFixed(1)} s (${rate(events, prepare)}); on this thread, while the writer thread writes the batch before`);
  const again = await timeAppend(sqlite, events);
  console.log(`SQLite append of the same events again (all known): ${rate(events, again.seconds)}`);
  await audits(sqlite, "SQLite", policies);
  await sqlite.close();
  // Closed, the write-ahead log is folded in: the file is the ledger's whole size.
  const bytes = statSync(file).size;
  console.log(`SQLite size: ${mb(bytes)}, ${mb((bytes / added) * 1e6)} per million events`);
  const random = await openLedger(file.replace(/\.db$/, "-random-ids.db"));
  const r = await timeAppend(random, events, true);
  console.log(`SQLite append, random job ids (as UUIDs or the guard's own keys): ${rate(r.added, r.seconds)}`);
  await random.close();
}

async function benchFileIngest(dir: string, events: number): Promise<void> {
  const jsonl = join(dir, "events.jsonl");
  await writeEventsFile(jsonl, { events, ...WORKLOAD });
  const ledger = await openLedger(join(dir, "from-file.db"));
  const t = performance.now();
  const r = await ingestFiles(ledger, [jsonl]);
  const s = (performance.now() - t) / 1000;
  console.log(`SQLite ingest from a JSON Lines file (${mb(statSync(jsonl).size)}; read, check, append): ${rate(r.events, s)}`);
  await ledger.close();
}

/** A ledger in a fresh schema of the database at `url`, dropped afterwards. */
async function withPostgresLedger(url: string, use: (ledger: Ledger) => Promise<void>): Promise<void> {
  const schema = `failcost_bench_${randomBytes(4).toString("hex")}`;
  const target = new URL(url);
  target.searchParams.set("schema", schema);
  const postgres = await openLedger(target.href);
  try {
    await use(postgres);
  } finally {
    await postgres.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

async function benchPostgres(url: string, events: number, policies: readonly Policy[]): Promise<void> {
  await withPostgresLedger(url, async (postgres) => {
    const p = await timeAppend(postgres, events);
    const stats = await postgres.stats();
    console.log(`PostgreSQL append: ${p.added.toLocaleString("en-US")} events in ${p.seconds.toFixed(1)} s: ${rate(p.added, p.seconds)} (client CPU: ${rate(p.added, p.cpu)})`);
    console.log(`PostgreSQL size: ${mb(stats.bytes!)}, ${mb((stats.bytes! / p.added) * 1e6)} per million events (tables and indexes)`);
    await audits(postgres, "PostgreSQL", policies);
  });
  await withPostgresLedger(url, async (postgres) => {
    const r = await timeAppend(postgres, events, true);
    console.log(`PostgreSQL append, random job ids: ${rate(r.added, r.seconds)}`);
  });
}

/** The ledger's benchmark: `--events=N` (default 1M), `--no-file`, `--pg=URL`, `--pg-only`. */
export const section: BenchSection = {
  name: "ledger: ingest into SQLite and PostgreSQL, size, audits",
  async run(args) {
    const events = Number(option(args, "events") ?? 1_000_000);
    const pgOnly = args.includes("--pg-only");
    const dir = mkdtempSync(join(tmpdir(), "failcost-bench-ledger-"));
    const policies = await loadPolicies([fileURLToPath(new URL("../../examples/policies", import.meta.url))]);
    try {
      if (!pgOnly) await benchSqlite(join(dir, "ledger.db"), events, policies);
      if (!pgOnly && !args.includes("--no-file")) await benchFileIngest(dir, events);
      const url = option(args, "pg") ?? process.env.FAILCOST_TEST_PG;
      if (url === undefined || url === "") console.log("PostgreSQL: skipped (set FAILCOST_TEST_PG or --pg=URL)");
      else await benchPostgres(url, events, policies);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
