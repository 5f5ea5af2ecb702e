import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { isLedgerError } from "../../src/errors.js";
import { auditLedger } from "../../src/ledger/audit-ledger.js";
import { eventRow } from "../../src/ledger/event-row.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import { copyText, copyTextIn } from "../../src/ledger/postgres/postgres-copy.js";
import { migratePostgres, POSTGRES_SCHEMA_VERSION } from "../../src/ledger/postgres/postgres-migrations.js";
import { auditFiles } from "../../src/sources/audit-files.js";
import { ledgerContract } from "./ledger-contract.js";
import { examplePolicies, generatedFile, stored, tempDir, writeLines } from "./ledger-fixtures.js";
import { scenarioEvents, scenarioPolicies } from "./ledger-scenario.js";
import { freshPgTarget, TEST_PG, withPgClient } from "./pg-schemas.js";
import { runCli } from "./spawn-cli.js";

const skip = TEST_PG === undefined ? "set FAILCOST_TEST_PG to run the PostgreSQL ledger tests" : false;

if (TEST_PG !== undefined) ledgerContract("PostgreSQL", () => openLedger(freshPgTarget().url));

describe("PostgreSQL ledger", { skip }, () => {
  it("four writers ingesting overlapping files at once lose nothing and double nothing", async () => {
    const dir = tempDir();
    const { path: all, lines: values } = await generatedFile(dir, "all.jsonl", 12_000, 5);
    const third = Math.floor(values.length / 3);
    const files = [
      all,
      writeLines(dir, "reversed.jsonl", [...values].reverse()),
      writeLines(dir, "head.jsonl", values.slice(0, 2 * third)),
      writeLines(dir, "tail.jsonl", values.slice(third).sort()),
    ];
    const { url } = freshPgTarget();
    const runs = await Promise.all(files.map((f) => runCli(["ingest", "--db", url, "--batch", "400", "--json", f])));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const counts = runs.map((r) => JSON.parse(r.stdout) as { events: number; new: number; known: number });
    assert.equal(
      counts.reduce((s, c) => s + c.new, 0),
      values.length,
      "every event was new to exactly one writer",
    );
    for (const c of counts) assert.equal(c.new + c.known, c.events);
    const ledger = await openLedger(url);
    try {
      assert.equal((await ledger.stats()).events, values.length);
      const policies = await examplePolicies();
      assert.deepEqual(await auditLedger(ledger, { policies }), await auditFiles([all], { policies }));
    } finally {
      await ledger.close();
    }
  });

  it("writes a batch larger than one COPY part whole, repeats across parts once", async () => {
    const { path, lines } = await generatedFile(tempDir(), "parts.jsonl", 6000, 11);
    const values = lines.map((l) => stored(JSON.parse(l) as Record<string, unknown>));
    const ledger = await openLedger(freshPgTarget().url);
    try {
      const batch = [...values.slice(0, 4500), ...values.slice(0, 2500)];
      assert.deepEqual(await ledger.append(batch), { added: 4500, known: 2500 });
      assert.deepEqual(await ledger.append(values), { added: values.length - 4500, known: 4500 });
      assert.equal((await ledger.stats()).events, values.length);
      const policies = await examplePolicies();
      assert.deepEqual(await auditLedger(ledger, { policies }), await auditFiles([path], { policies }));
    } finally {
      await ledger.close();
    }
  });

  it("copies parts straight into the events table while they are new, and after one refused copy merges the rest of the batch", async () => {
    const { lines } = await generatedFile(tempDir(), "known.jsonl", 12_000, 13);
    const values = lines.map((l) => stored(JSON.parse(l) as Record<string, unknown>));
    const first = values.slice(0, 10_000); // five parts of 2,000
    const ledger = await openLedger(freshPgTarget().url);
    // Counts the statements the ledger sends (the real server still runs them all).
    const sent: string[] = [];
    const proto = pg.Client.prototype as unknown as { query: (this: pg.Client, ...args: unknown[]) => unknown };
    const query = proto.query;
    proto.query = function (this: pg.Client, ...args: unknown[]) {
      if (typeof args[0] === "string") sent.push(args[0]);
      return query.apply(this, args);
    };
    const count = (sql: string): number => sent.filter((q) => q === sql).length;
    try {
      assert.deepEqual(await ledger.append(first), { added: 10_000, known: 0 });
      assert.equal(count("SAVEPOINT part"), 5, "every new part copied straight in");
      assert.equal(count("ROLLBACK TO SAVEPOINT part"), 0);
      sent.length = 0;
      assert.deepEqual(await ledger.append(first), { added: 0, known: 10_000 });
      assert.equal(count("SAVEPOINT part"), 1, "one direct copy tried for a batch of known events, not one per part");
      assert.equal(count("ROLLBACK TO SAVEPOINT part"), 1);
      sent.length = 0;
      // After known events the next part is merged; once one was wholly new, copies go straight in again.
      assert.deepEqual(await ledger.append(values.slice(10_000, 11_000)), { added: 1000, known: 0 });
      assert.equal(count("SAVEPOINT part"), 0, "merged, after a batch of known events");
      sent.length = 0;
      assert.deepEqual(await ledger.append(values.slice(11_000)), { added: values.length - 11_000, known: 0 });
      assert.equal(count("SAVEPOINT part"), 1, "copied straight in again");
      assert.equal(count("ROLLBACK TO SAVEPOINT part"), 0);
      assert.equal((await ledger.stats()).events, values.length);
    } finally {
      proto.query = query;
      await ledger.close();
    }
  });

  it("finds events that a writer unaware of time blocks added (an older failcost still running)", async () => {
    const { url, schema } = freshPgTarget();
    await (await openLedger(url)).close();
    const events = [
      { provider: "acme", model: "acme/img-fast", job: "b", attempt: 1, ts: "2026-11-07T10:00:00Z", type: "submitted", input_hash: "hb" },
      { provider: "acme", model: "acme/img-fast", job: "b", attempt: 1, request_id: "rb", ts: "2026-11-07T14:00:00Z", type: "completed", outcome: "succeeded" },
    ].map(stored);
    // What an older build writes: events (by COPY, and by INSERT) and the attempt index, nothing else.
    await withPgClient(async (c) => {
      const [first, second] = events.map((e) => eventRow(e));
      await copyTextIn(c, `"${schema}".events (micros, hash, job, charge_rid, body)`, copyText([[first!.micros, first!.hash, first!.job, first!.chargeRid, first!.body]]));
      await c.query(`INSERT INTO "${schema}".events (micros, hash, job, charge_rid, body) VALUES ($1, $2, $3, $4, $5)`, [second!.micros, second!.hash, second!.job, second!.chargeRid, second!.body]);
      await c.query(`INSERT INTO "${schema}".attempts (job, attempt, provider, model, start, last, sub, input_hash, request_id) VALUES ('b', 1, 'acme', 'acme/img-fast', $1, $2, $1, 'hb', 'rb')`, [events[0]!.micros, events[1]!.micros]);
    });
    const ledger = await openLedger(url);
    try {
      assert.equal((await ledger.jobEvents("b")).length, 2);
      assert.deepEqual(await ledger.prune(Date.parse("2026-11-08T00:00:00Z") * 1000), { events: 2, jobs: 1 });
    } finally {
      await ledger.close();
    }
  });

  it("upgrades a schema at version 1 in place", async () => {
    const { url, schema } = freshPgTarget();
    const values = scenarioEvents();
    await withPgClient(async (c) => {
      await migratePostgres(c, schema, "test", 1);
      for (const v of values) {
        const r = eventRow(stored(v));
        await c.query(`INSERT INTO "${schema}".events (micros, hash, job, charge_rid, body) VALUES ($1, $2, $3, $4, $5)`, [r.micros, r.hash, r.job, r.chargeRid, r.body]);
      }
      await c.query(`UPDATE "${schema}".ledger_meta SET value = $1 WHERE key = 'events'`, [values.length]);
    });
    const told: [number, number][] = [];
    const ledger = await openLedger(url, { onUpgrade: (from, to) => told.push([from, to]) });
    try {
      assert.deepEqual(told, [[1, POSTGRES_SCHEMA_VERSION]]);
      const policies = scenarioPolicies();
      const day = { policies, sinceMicros: Date.parse("2026-11-02T00:00:00Z") * 1000, untilMicros: Date.parse("2026-11-03T00:00:00Z") * 1000 };
      const report = await auditLedger(ledger, day);
      assert.equal(report.billed, "0.018");
      assert.equal(report.waste_by_cause.duplicate_submission, "0.005");
      assert.deepEqual(await ledger.append(values.map(stored)), { added: 0, known: values.length });
      await ledger.writeSnapshot("s", "v");
    } finally {
      await ledger.close();
    }
    const version = await withPgClient(async (c) => (await c.query<{ version: number }>(`SELECT version FROM "${schema}".ledger_schema`)).rows[0]!.version);
    assert.equal(version, POSTGRES_SCHEMA_VERSION);
    // Up to date: nothing to tell.
    const again = await openLedger(url, { onUpgrade: (from, to) => told.push([from, to]) });
    await again.close();
    assert.equal(told.length, 1);
  });

  it("refuses a schema from a newer failcost, a missing ledger when reading, and names the server without its password", async () => {
    const missing = freshPgTarget();
    await assert.rejects(openLedger(missing.url, { create: false }), (e) => isLedgerError(e) && /no ledger in schema/.test(e.message));
    const created = await withPgClient(async (c) => (await c.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [missing.schema])).rows.length);
    assert.equal(created, 0, "reading creates nothing");
    const { url, schema } = freshPgTarget();
    await (await openLedger(url)).close();
    await withPgClient((c) => c.query(`UPDATE "${schema}".ledger_schema SET version = $1`, [POSTGRES_SCHEMA_VERSION + 1]));
    await assert.rejects(openLedger(url), (e) => isLedgerError(e) && /newer than this failcost/.test(e.message));
    const bad = new URL(TEST_PG!);
    bad.password = "hunter2";
    bad.port = "1";
    await assert.rejects(openLedger(bad.href), (e) => isLedgerError(e) && !e.message.includes("hunter2") && e.message.includes("cannot open"));
  });
});
