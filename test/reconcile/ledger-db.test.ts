// reconcile, export and forecast with --db: on SQLite, and on PostgreSQL when FAILCOST_TEST_PG
// is set. Runs once the ledger adapters are in the build (src/ledger/open-ledger.ts).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { parseTimestamp, type FailcostEvent, type Ledger } from "../../src/core/index.js";
import type { ReconcileResult } from "../../src/reconcile/reconcile-result.js";
import { ACME_EVENTS, makeWorkspace, run } from "./fixture.js";

const LEDGER_MODULE = new URL("../../src/ledger/open-ledger.ts", import.meta.url);
const available = existsSync(LEDGER_MODULE);
type OpenLedger = (target: string) => Promise<Ledger>;

async function seed(target: string): Promise<void> {
  const { openLedger } = (await import(LEDGER_MODULE.href)) as { openLedger: OpenLedger };
  const ledger = await openLedger(target);
  await ledger.append(ACME_EVENTS.map((e) => ({ event: e as unknown as FailcostEvent, micros: (parseTimestamp(e.ts as string) as { micros: number }).micros })));
  await ledger.close();
}

const BILL = "request_id,amount,currency,time\nr1,0.006,USD,2026-11-01T10:00:06Z\nr5,0.02,USD,2026-11-01T10:04:07Z\n";

async function checkLedger(dir: string, db: string): Promise<void> {
  const first = await run(dir, "reconcile", "--db", db, "--invoice", "bill.csv", "--json");
  assert.equal(first.code, 0, first.stderr);
  const r = JSON.parse(first.stdout) as ReconcileResult & { written: string };
  // r2, r4, r6 (0.015 + 0.014 + 0.017) are left out; r5 is 0.003 over its estimate.
  assert.equal(r.totals.unexplained, "0.049");
  assert.match(r.written, /wrote 2 charged events to the ledger \(0 it already had\)/);
  const again = JSON.parse((await run(dir, "reconcile", "--db", db, "--invoice", "bill.csv", "--json")).stdout) as { written: string };
  assert.match(again.written, /wrote 0 charged events to the ledger/);
  const dry = JSON.parse((await run(dir, "reconcile", "--db", db, "--invoice", "bill.csv", "--json", "--dry-run")).stdout) as { written: string };
  assert.match(dry.written, /--dry-run: 0 charged events not written/); // the ledger already has them
  const events = await run(dir, "export", "events", "--db", db);
  assert.equal(events.stdout.trim().split("\n").length, ACME_EVENTS.length + 2);
  const focus = await run(dir, "export", "focus", "--db", db);
  const r1 = focus.stdout.split("\n").find((l) => l.includes(",r1,"))!;
  assert.match(r1, /^0\.006,.*,provider_charge,/);
  const r5 = focus.stdout.split("\n").find((l) => l.includes(",r5,"))!;
  assert.match(r5, /^0\.02,/, "the billed amount replaces the estimate");
  const fc = await run(dir, "forecast", "--db", db, "--seed", "1", "--runs", "10", "--json");
  assert.equal(fc.code, 0, fc.stderr);
  // Both results are stored beside the events, for the dashboard.
  const { openLedger } = (await import(LEDGER_MODULE.href)) as { openLedger: OpenLedger };
  const ledger = await openLedger(db.startsWith("postgres") ? db : `${dir}/${db}`);
  try {
    const stored = JSON.parse((await ledger.readSnapshot("reconciliation"))!) as ReconcileResult;
    assert.equal(stored.totals.unexplained, "0.049");
    const storedForecast = JSON.parse((await ledger.readSnapshot("forecast"))!) as { seed: string };
    assert.equal(storedForecast.seed, "1");
  } finally {
    await ledger.close();
  }
}

describe("--db", { skip: available ? false : "the ledger adapters are not in this build yet" }, () => {
  it("reconciles against an SQLite ledger and writes the charges back once", async () => {
    const dir = makeWorkspace({ "bill.csv": BILL });
    await seed(`${dir}/failcost.db`);
    await checkLedger(dir, "failcost.db");
    const missing = await run(dir, "reconcile", "--db", "nope.db", "--invoice", "bill.csv");
    assert.equal(missing.code, 2);
  });

  it("reads ./failcost.db without --db, as ingest writes it; says so where there is none", async () => {
    const dir = makeWorkspace({ "bill.csv": BILL });
    const none = await run(dir, "export", "events");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no \.\/failcost\.db here/);
    await seed(`${dir}/failcost.db`);
    const events = await run(dir, "export", "events");
    assert.equal(events.code, 0, events.stderr);
    assert.equal(events.stdout.trim().split("\n").length, ACME_EVENTS.length);
    const fc = await run(dir, "forecast", "--seed", "1", "--runs", "10", "--json");
    assert.equal(fc.code, 0, fc.stderr);
    const rec = await run(dir, "reconcile", "--invoice", "bill.csv", "--json", "--dry-run");
    assert.equal(rec.code, 0, rec.stderr);
  });

  it("stores no forecast when it has nothing to simulate, and keeps the one stored before", async () => {
    const other = "provider: someone-else\ncurrency: USD\nsources: [\"https://example.test/billing\"]\nprices:\n  \"*\": { per_job: \"0.01\" }\nbills:\n  succeeded: [per_job]\n";
    const dir = makeWorkspace({ "other.yaml": other });
    await seed(`${dir}/failcost.db`);
    const { openLedger } = (await import(LEDGER_MODULE.href)) as { openLedger: OpenLedger };
    const stored = async (): Promise<string | undefined> => {
      const ledger = await openLedger(`${dir}/failcost.db`);
      try {
        return (await ledger.readSnapshot("forecast")) ?? undefined;
      } finally {
        await ledger.close();
      }
    };
    const none = await run(dir, "forecast", "--db", "failcost.db", "--policies", "other.yaml", "--seed", "2", "--runs", "10", "--json");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /nothing to simulate/);
    assert.equal(await stored(), undefined);
    const fc = await run(dir, "forecast", "--db", "failcost.db", "--seed", "1", "--runs", "10", "--json");
    assert.equal(fc.code, 0, fc.stderr);
    const before = await stored();
    assert.equal((JSON.parse(before!) as { seed: string }).seed, "1");
    assert.equal((await run(dir, "forecast", "--db", "failcost.db", "--policies", "other.yaml", "--seed", "2", "--runs", "10")).code, 2);
    assert.equal(await stored(), before);
  });

  it("does the same on PostgreSQL", { skip: process.env.FAILCOST_TEST_PG ? false : "FAILCOST_TEST_PG is not set" }, async () => {
    const schema = `rec_${randomBytes(6).toString("hex")}`;
    const url = `${process.env.FAILCOST_TEST_PG!}${process.env.FAILCOST_TEST_PG!.includes("?") ? "&" : "?"}schema=${schema}`;
    const dir = makeWorkspace({ "bill.csv": BILL });
    const pg = (await import("pg")).default;
    try {
      await seed(url);
      await checkLedger(dir, url);
    } finally {
      const client = new pg.Client({ connectionString: process.env.FAILCOST_TEST_PG });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
