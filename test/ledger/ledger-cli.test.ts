// The ledger's commands, run in-process: ingest, ledger stats/prune, and audit --db.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { upgradeNotice } from "../../src/cli/upgrade-notice.js";
import type { Report } from "../../src/core/index.js";
import { migrateSqlite, SQLITE_SCHEMA_VERSION } from "../../src/ledger/sqlite/sqlite-migrations.js";
import { tempDir, withoutReadCounts, writeJsonl } from "./ledger-fixtures.js";
import { LATE_CHARGE, SCENARIO_POLICY_FILES, scenarioEvents } from "./ledger-scenario.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(cwd: string, ...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A working folder with policies/, the scenario's events (and two bad lines) in logs/. */
function workspace(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "policies"));
  for (const p of SCENARIO_POLICY_FILES) writeFileSync(join(dir, "policies", `${p.provider as string}.json`), JSON.stringify(p));
  mkdirSync(join(dir, "logs"));
  const values = scenarioEvents();
  writeJsonl(dir, "logs/a.jsonl", values.slice(0, 20));
  writeFileSync(join(dir, "logs/b.jsonl"), `${values.slice(15).map((v) => JSON.stringify(v)).join("\n")}\n{"ts":"2026-11-01T10:00:00Z","type":"polled"}\nnot json\n`);
  return dir;
}

describe("failcost ingest", () => {
  it("adds events once into ./failcost.db and reports new, known and problems by file and line", async () => {
    const dir = workspace();
    const first = await cli(dir, "ingest", "logs/a.jsonl", "logs/b.jsonl");
    assert.equal(first.code, 0);
    // 35 events: a.jsonl's 20, b.jsonl's 20 of which 5 repeat a.jsonl's.
    assert.equal(first.stdout, "40 events from 2 files into failcost.db: 35 new, 5 already known, 2 problems\n");
    assert.match(first.stderr, /^logs\/b\.jsonl:21: missing field 'provider'\nlogs\/b\.jsonl:22: not JSON/);
    assert.ok(existsSync(join(dir, "failcost.db")));
    const again = await cli(dir, "ingest", "--json", "logs/b.jsonl");
    assert.equal(again.code, 0);
    const counts = JSON.parse(again.stdout);
    assert.deepEqual({ ...counts, problems: counts.problems.length }, { ledger: "failcost.db", events: 20, new: 0, known: 20, problems: 2 });
    assert.deepEqual(counts.problems[0], { file: "logs/b.jsonl", line: 21, why: "missing field 'provider'" });
  });

  it("with --strict ingests nothing when a line is bad", async () => {
    const dir = workspace();
    const r = await cli(dir, "ingest", "--strict", "--db", "strict.db", "logs/a.jsonl", "logs/b.jsonl");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /logs\/b\.jsonl:21: missing field 'provider'/);
    assert.match(r.stderr, /nothing was ingested/);
    const stats = await cli(dir, "ledger", "stats", "--db", "strict.db", "--json");
    assert.equal(JSON.parse(stats.stdout).events, 0);
  });

  it("names unreadable files and ledgers", async () => {
    const dir = workspace();
    const missing = await cli(dir, "ingest", "logs/nope.jsonl");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl: no such file/);
    assert.match(missing.stderr, /cannot read logs\/nope\.jsonl:/, "named as given");
    assert.ok(!existsSync(join(dir, "failcost.db")), "a file that cannot be read creates no ledger");
    writeFileSync(join(dir, "text.db"), "not a database ".repeat(100));
    const bad = await cli(dir, "ingest", "--db", "text.db", "logs/a.jsonl");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /cannot open the ledger .*text\.db/);
  });
});

describe("failcost ledger", () => {
  it("tells events, jobs, date range and size", async () => {
    const dir = workspace();
    await cli(dir, "ingest", "logs/a.jsonl", "logs/b.jsonl");
    const text = await cli(dir, "ledger", "stats");
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^ledger {2}failcost\.db\nevents {2}35\njobs {4}9 \(10 attempts\)\nfrom {4}2026-11-01T10:00:00\.000Z\nto {6}2026-11-11T00:00:00\.000Z\nsize {4}\d/);
    const json = JSON.parse((await cli(dir, "ledger", "stats", "--json")).stdout);
    assert.deepEqual({ ...json, bytes: typeof json.bytes }, { ledger: "failcost.db", events: 35, jobs: 9, attempts: 10, first: "2026-11-01T10:00:00.000Z", last: "2026-11-11T00:00:00.000Z", bytes: "number" });
  });

  it("prunes before a date, keeping jobs that straddle it", async () => {
    const dir = workspace();
    await cli(dir, "ingest", "logs/a.jsonl", "logs/b.jsonl");
    const r = await cli(dir, "ledger", "prune", "--before", "2026-11-02");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "removed 8 events of 2 jobs from before 2026-11-02T00:00:00.000Z (jobs that straddle the date stay whole)\n");
    assert.equal(JSON.parse((await cli(dir, "ledger", "stats", "--json")).stdout).events, 27);
    const json = JSON.parse((await cli(dir, "ledger", "prune", "--before", "2026-11-02", "--json")).stdout);
    assert.deepEqual(json, { ledger: "failcost.db", before: "2026-11-02T00:00:00.000Z", events: 0, jobs: 0 });
  });

  it("says so while it upgrades an older ledger, once", async () => {
    const dir = workspace();
    const old = new Database(join(dir, "old.db"));
    migrateSqlite(old, join(dir, "old.db"), 3);
    old.close();
    const first = await cli(dir, "ledger", "stats", "--db", "old.db", "--json");
    assert.equal(first.code, 0);
    assert.equal(first.stderr, `upgrading the ledger old.db from schema version 3 to ${SQLITE_SCHEMA_VERSION} (once; a large ledger takes a while)\n`);
    const again = await cli(dir, "ledger", "stats", "--db", "old.db", "--json");
    assert.equal(again.stderr, "");
    const fresh = await cli(dir, "ingest", "--db", "new.db", "logs/a.jsonl");
    assert.doesNotMatch(fresh.stderr, /upgrading/);
    // Every command that reads a ledger says it, export among them.
    const other = new Database(join(dir, "other.db"));
    migrateSqlite(other, join(dir, "other.db"), 3);
    other.close();
    const exported = await cli(dir, "export", "events", "--db", "other.db");
    assert.equal(exported.code, 0);
    assert.match(exported.stderr, /^upgrading the ledger other\.db from schema version 3/);
  });

  it("names a PostgreSQL ledger it upgrades without its password", () => {
    let stderr = "";
    upgradeNotice({ stderr: { write: (t: string) => (stderr += t) }, cwd: "/", env: {} }, "postgres://app:s3cret@db.example:5432/prod?schema=x")(3, 4);
    assert.match(stderr, /^upgrading the ledger postgres:\/\/app:\*\*\*@db\.example:5432\/prod\?schema=x from schema version 3 to 4/);
    assert.doesNotMatch(stderr, /s3cret/);
  });

  it("refuses what makes no sense", async () => {
    const dir = workspace();
    assert.equal((await cli(dir, "ledger", "stats")).code, 2, "no ledger yet");
    assert.ok(!existsSync(join(dir, "failcost.db")), "stats creates no ledger");
    await cli(dir, "ingest", "logs/a.jsonl");
    const noDate = await cli(dir, "ledger", "prune");
    assert.equal(noDate.code, 2);
    assert.match(noDate.stderr, /needs --before/);
    assert.equal((await cli(dir, "ledger", "prune", "--before", "yesterday")).code, 2);
    assert.equal((await cli(dir, "ledger", "compact")).code, 2);
  });
});

describe("failcost audit --db", () => {
  it("gives the report the files give, filters included, and sees charges ingested later", async () => {
    const dir = workspace();
    writeJsonl(dir, "logs/ok.jsonl", scenarioEvents());
    await cli(dir, "ingest", "logs/ok.jsonl");
    const fromFiles = await cli(dir, "audit", "--json", "logs/ok.jsonl");
    const fromLedger = await cli(dir, "audit", "--json", "--db", "failcost.db");
    assert.equal(fromLedger.code, 0, fromLedger.stderr);
    assert.deepEqual(JSON.parse(fromLedger.stdout), JSON.parse(fromFiles.stdout));
    const day = ["--since", "2026-11-02", "--until", "2026-11-03"];
    const dayReport = JSON.parse((await cli(dir, "audit", "--json", "--db", "failcost.db", ...day)).stdout);
    const dayFiles = JSON.parse((await cli(dir, "audit", "--json", "logs/ok.jsonl", ...day)).stdout);
    for (const key of ["jobs", "attempts", "billed", "useful", "waste", "waste_by_cause", "range", "patterns", "by_provider", "by_model", "by_day", "top_jobs"]) {
      assert.deepEqual(dayReport[key], dayFiles[key], key);
    }
    assert.equal(dayReport.billed, "0.018");
    writeJsonl(dir, "logs/bill.jsonl", [LATE_CHARGE]);
    await cli(dir, "ingest", "logs/bill.jsonl");
    assert.equal(JSON.parse((await cli(dir, "audit", "--json", "--db", "failcost.db", ...day)).stdout).billed, "0.06");
    const text = await cli(dir, "audit", "--db", "failcost.db", "--provider", "acme");
    assert.equal(text.code, 0);
    assert.match(text.stdout, /waste/i);
  });

  it("gives the examples' report from the ledger, whole and filtered", async () => {
    const dir = tempDir();
    const examples = fileURLToPath(new URL("../../examples/", import.meta.url));
    const events = join(examples, "events.jsonl");
    const policies = join(examples, "policies");
    assert.equal((await cli(dir, "ingest", "--json", events)).code, 0);
    const audit = async (...args: string[]): Promise<Report> => {
      const r = await cli(dir, "audit", "--json", "--policies", policies, ...args);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Report;
    };
    const whole = await audit("--db", "failcost.db");
    assert.deepEqual(whole, await audit(events));
    assert.ok(whole.jobs > 400 && whole.problems.length === 0);
    for (const filter of [
      ["--since", "2026-11-01T00:03:00Z", "--until", "2026-11-01T00:06:00Z"],
      ["--provider", "fal"],
      ["--model", "gpt-image-1", "--since", "2026-11-01T00:04:00Z"],
    ]) {
      const fromLedger = await audit("--db", "failcost.db", ...filter);
      assert.deepEqual(withoutReadCounts(fromLedger), withoutReadCounts(await audit(events, ...filter)), filter.join(" "));
      assert.ok(fromLedger.jobs > 0 && fromLedger.events < whole.events, filter.join(" "));
    }
  });

  it("finds policies beside the ledger file, and refuses files and --db together", async () => {
    const dir = workspace();
    assert.equal((await cli(dir, "ingest", "--db", "data/ledger.db", "logs/a.jsonl")).code, 0, "creates the folder");
    mkdirSync(join(dir, "elsewhere"));
    const without = await cli(join(dir, "elsewhere"), "audit", "--json", "--db", "../data/ledger.db");
    assert.equal(without.code, 0, without.stderr);
    const problems = (JSON.parse(without.stdout) as { problems: { why: string }[] }).problems;
    assert.ok(problems.some((p) => /no billing policy/.test(p.why)), "no policies/ beside data/ledger.db yet");
    mkdirSync(join(dir, "data", "policies"));
    for (const p of SCENARIO_POLICY_FILES) writeFileSync(join(dir, "data", "policies", `${p.provider as string}.json`), JSON.stringify(p));
    const beside = JSON.parse((await cli(join(dir, "elsewhere"), "audit", "--json", "--db", "../data/ledger.db")).stdout);
    assert.deepEqual(beside.problems, []);
    assert.notEqual(beside.billed, "0");
    const both = await cli(dir, "audit", "--db", "data/ledger.db", "logs/a.jsonl");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /not both/);
    const missing = await cli(dir, "audit", "--db", "nothing-here.db");
    assert.equal(missing.code, 2);
    assert.ok(!existsSync(join(dir, "nothing-here.db")));
  });
});
