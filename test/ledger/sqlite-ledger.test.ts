import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { isLedgerError } from "../../src/errors.js";
import { auditLedger } from "../../src/ledger/audit-ledger.js";
import { eventRow } from "../../src/ledger/event-row.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import { openSqliteLedger } from "../../src/ledger/sqlite/open-sqlite-ledger.js";
import { attemptEventsSql, duplicateCandidatesSql } from "../../src/ledger/sqlite/sqlite-job-events.js";
import { migrateSqlite, SQLITE_SCHEMA_VERSION } from "../../src/ledger/sqlite/sqlite-migrations.js";
import { auditFiles } from "../../src/sources/audit-files.js";
import { ledgerContract } from "./ledger-contract.js";
import { stored, tempDir, withoutReadCounts, writeJsonl } from "./ledger-fixtures.js";
import { scenarioEvents, scenarioPolicies } from "./ledger-scenario.js";

const dir = tempDir();
let n = 0;
const fresh = (): string => join(dir, `ledger-${++n}.db`);

ledgerContract("SQLite", () => openLedger(fresh()));
// The same contract with every write on the writer thread (by default, batches of 2,000 or more).
ledgerContract("SQLite, writes on the writer thread", () => Promise.resolve(openSqliteLedger(fresh(), { writerThreadEvents: 1 })));

describe("SQLite ledger", () => {
  it("writes in the order asked, on either thread, every write acknowledged once committed", async () => {
    const file = fresh();
    const events = scenarioEvents().map(stored);
    const ledger = openSqliteLedger(file, { writerThreadEvents: 4 });
    // Not awaited one by one: small batches here, larger ones on the writer thread, overlapping.
    const parts = [events.slice(0, 3), events.slice(0, 10), events.slice(3, 5), events, events.slice(10)];
    const results = await Promise.all(parts.map((p) => ledger.append(p)));
    assert.deepEqual(
      results.map((r) => r.added + r.known),
      parts.map((p) => p.length),
    );
    assert.equal(
      results.reduce((a, r) => a + r.added, 0),
      new Set(events.map((e) => `${e.micros} ${JSON.stringify(e.event)}`)).size,
    );
    // Each write saw every earlier one: the third and last add nothing the first two had not.
    assert.deepEqual(results[0], { added: 3, known: 0 });
    assert.deepEqual(results[1], { added: 7, known: 3 });
    assert.deepEqual(results[2], { added: 0, known: 2 });
    await ledger.prune(0);
    await ledger.close();
    const reopened = openSqliteLedger(file);
    assert.equal((await reopened.stats()).events, results.reduce((a, r) => a + r.added, 0));
    await reopened.close();
  });

  it("finds a job's events and duplicate candidates by index probes, never a scan", async () => {
    const file = fresh();
    const ledger = openSqliteLedger(file);
    await ledger.append(scenarioEvents().map(stored));
    await ledger.close();
    const db = new Database(file, { readonly: true });
    try {
      const plan = (sql: string, params: unknown): string[] => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
      const events = plan(attemptEventsSql("job IN (SELECT value FROM json_each(@jobs))", "ev.micros, ev.body"), { jobs: '["dup"]' });
      const candidates = plan(duplicateCandidatesSql("1"), { jobs: '["dup"]', window: 600e6 });
      for (const lines of [events, candidates]) assert.deepEqual(lines.filter((l) => /^SCAN (ev|c|k|events|attempts)\b/.test(l)), [], lines.join("\n"));
      assert.ok(events.some((l) => l.includes("USING INDEX events_job_time (<expr>=? AND job=?)")), events.join("\n"));
      assert.ok(candidates.some((l) => l.includes("USING INDEX attempts_input (<expr>=? AND input_hash=?)")), candidates.join("\n"));
    } finally {
      db.close();
    }
  });

  it("finds events that a writer unaware of time blocks added (an older failcost still running)", async () => {
    const file = fresh();
    await openSqliteLedger(file).close();
    // What an older build writes: events and the attempt index, nothing else.
    const old = new Database(file);
    const events = [
      { provider: "acme", model: "acme/img-fast", job: "b", attempt: 1, ts: "2026-11-07T10:00:00Z", type: "submitted", input_hash: "hb" },
      { provider: "acme", model: "acme/img-fast", job: "b", attempt: 1, request_id: "rb", ts: "2026-11-07T14:00:00Z", type: "completed", outcome: "succeeded" },
    ].map(stored);
    for (const e of events) {
      const r = eventRow(e);
      old.prepare("INSERT INTO events (micros, hash, job, charge_rid, body) VALUES (?, ?, ?, ?, ?)").run(r.micros, r.hash, r.job, r.chargeRid, r.body);
    }
    old.prepare("INSERT INTO attempts (job, attempt, provider, model, start, last, sub, input_hash, request_id) VALUES ('b', 1, 'acme', 'acme/img-fast', ?, ?, ?, 'hb', 'rb')").run(events[0]!.micros, events[1]!.micros, events[0]!.micros);
    old.close();
    const ledger = openSqliteLedger(file);
    try {
      assert.equal((await ledger.jobEvents("b")).length, 2);
      assert.deepEqual(await ledger.prune(Date.parse("2026-11-08T00:00:00Z") * 1000), { events: 2, jobs: 1 });
    } finally {
      await ledger.close();
    }
  });

  it("upgrades a ledger written with schema version 1 in place", async () => {
    const file = fresh();
    const values = scenarioEvents();
    const old = new Database(file);
    migrateSqlite(old, file, 1);
    const insert = old.prepare("INSERT INTO events (micros, hash, job, charge_rid, body) VALUES (?, ?, ?, ?, ?)");
    for (const v of values) {
      const r = eventRow(stored(v));
      insert.run(r.micros, r.hash, r.job, r.chargeRid, r.body);
    }
    old.prepare("UPDATE ledger_meta SET value = ? WHERE key = 'events'").run(values.length);
    assert.equal(old.pragma("user_version", { simple: true }), 1);
    old.close();

    const ledger = openSqliteLedger(file);
    try {
      const policies = scenarioPolicies();
      const since = { policies, sinceMicros: Date.parse("2026-11-02T00:00:00Z") * 1000, untilMicros: Date.parse("2026-11-03T00:00:00Z") * 1000 };
      // The attempt index (version 2) was filled from the old events: filtered scans find them.
      const report = await auditLedger(ledger, since);
      assert.equal(report.billed, "0.018");
      assert.equal(report.waste_by_cause.duplicate_submission, "0.005");
      const file2 = writeJsonl(dir, "scenario.jsonl", values);
      assert.deepEqual(await auditLedger(ledger, { policies }), await auditFiles([file2], { policies }));
      assert.deepEqual(await ledger.append(values.map(stored)), { added: 0, known: values.length });
      assert.deepEqual((await ledger.stats()).jobs, 9);
      // A new event of an old attempt, hours later, merges into the rebuilt attempt index.
      const poll = { provider: "acme", model: "acme/img-fast", job: "straddle", attempt: 2, request_id: "s2", ts: "2026-11-02T05:00:00Z", type: "polled" };
      assert.deepEqual(await ledger.append([stored(poll)]), { added: 1, known: 0 });
      assert.equal((await ledger.jobEvents("straddle")).length, 7);
      const withPoll = writeJsonl(dir, "scenario-poll.jsonl", [...values, poll]);
      assert.deepEqual(withoutReadCounts(await auditLedger(ledger, since)), withoutReadCounts(await auditFiles([withPoll], since)));
      await ledger.writeSnapshot("s", "v");
    } finally {
      await ledger.close();
    }
    const check = new Database(file, { readonly: true });
    assert.equal(check.pragma("user_version", { simple: true }), SQLITE_SCHEMA_VERSION);
    check.close();
  });

  it("refuses a ledger from a newer failcost, other databases, and files that are not SQLite", async () => {
    const newer = fresh();
    await (await openLedger(newer)).close();
    const db = new Database(newer);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => openSqliteLedger(newer), (e) => isLedgerError(e) && /newer than this failcost/.test(e.message));

    const other = fresh();
    const odb = new Database(other);
    odb.exec("CREATE TABLE invoices (id INTEGER)");
    odb.close();
    assert.throws(() => openSqliteLedger(other), (e) => isLedgerError(e) && /not a failcost ledger/.test(e.message));

    const text = join(dir, "notes.txt");
    writeFileSync(text, "these are not the pages of a database, just a text file long enough to have a header".repeat(20));
    assert.throws(() => openSqliteLedger(text), (e) => isLedgerError(e) && e.message.includes("notes.txt"));

    assert.throws(() => openSqliteLedger(join(dir, "missing.db"), { create: false }), (e) => isLedgerError(e) && /no ledger at/.test(e.message));
  });

  it("uses WAL: a reader holding a snapshot never blocks a writer", async () => {
    const file = fresh();
    const ledger = openSqliteLedger(file);
    try {
      await ledger.append([stored({ ts: "2026-11-01T10:00:00Z", type: "created", provider: "acme", model: "m", job: "a", attempt: 1 })]);
      const reader = new Database(file, { readonly: true, timeout: 50 });
      assert.equal(reader.pragma("journal_mode", { simple: true }), "wal");
      reader.exec("BEGIN");
      assert.equal(reader.prepare("SELECT count(*) FROM events").pluck().get(), 1);
      const started = Date.now();
      const added = await ledger.append([stored({ ts: "2026-11-01T10:00:01Z", type: "created", provider: "acme", model: "m", job: "b", attempt: 1 })]);
      assert.deepEqual(added, { added: 1, known: 0 });
      // Far below the 30 s a blocked writer would wait, far above a loaded machine's slowest append.
      assert.ok(Date.now() - started < 10_000, "the writer did not wait for the reader (a blocked writer waits its 30 s busy timeout)");
      assert.equal(reader.prepare("SELECT count(*) FROM events").pluck().get(), 1, "the reader keeps its snapshot");
      reader.exec("COMMIT");
      assert.equal(reader.prepare("SELECT count(*) FROM events").pluck().get(), 2);
      reader.close();
    } finally {
      await ledger.close();
    }
  });
});
