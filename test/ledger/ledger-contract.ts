// The one contract every Ledger adapter passes (SQLite always, PostgreSQL when FAILCOST_TEST_PG
// is set): identity and idempotence, whole-job scans, audits equal to auditing the files,
// late charges, stats, prune, change counts and snapshots.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Ledger, Report } from "../../src/core/index.js";
import { auditLedger } from "../../src/ledger/audit-ledger.js";
import { ingestFiles } from "../../src/ledger/ingest-files.js";
import { auditFiles } from "../../src/sources/audit-files.js";
import { examplePolicies, generatedFile, scanAll, stored, tempDir, us, withoutReadCounts, writeJsonl } from "./ledger-fixtures.js";
import { LATE_CHARGE, scenarioEvents, scenarioPolicies } from "./ledger-scenario.js";

/** Makes a fresh, empty ledger; the suite closes it. */
export type MakeLedger = () => Promise<Ledger>;

const policies = scenarioPolicies();

async function withLedger<T>(make: MakeLedger, use: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await make();
  try {
    return await use(ledger);
  } finally {
    await ledger.close();
  }
}

const POLL = { provider: "acme", model: "acme/img-fast", job: "p", attempt: 1, request_id: "r", type: "polled" };

/** Runs the ledger contract against `make`. */
export function ledgerContract(name: string, make: MakeLedger): void {
  describe(`ledger contract: ${name}`, () => {
    it("adds an event once, however often and however its time is spelled", () =>
      withLedger(make, async (ledger) => {
        const first = await ledger.append([stored({ ...POLL, ts: "2026-11-01T10:00:00Z" }), stored({ ...POLL, ts: "2026-11-01T10:00:01Z" })]);
        assert.deepEqual(first, { added: 2, known: 0 });
        // The same instants: another zone, more fraction digits, keys in another order, a null, an unknown field.
        const again = await ledger.append([
          stored({ ...POLL, ts: "2026-11-01T12:00:00+02:00" }),
          stored({ type: "polled", request_id: "r", ts: "2026-11-01T10:00:01.000000Z", attempt: 1, job: "p", model: "acme/img-fast", provider: "acme", http_status: null, note: "x" }),
        ]);
        assert.deepEqual(again, { added: 0, known: 2 });
        // Twice in one batch: one event. Nanoseconds apart: two events.
        const batch = await ledger.append([stored({ ...POLL, ts: "2026-11-01T10:00:02Z" }), stored({ ...POLL, ts: "2026-11-01T10:00:02Z" })]);
        assert.deepEqual(batch, { added: 1, known: 1 });
        const nanos = await ledger.append([stored({ ...POLL, ts: "2026-11-01T10:00:03.000000001Z" }), stored({ ...POLL, ts: "2026-11-01T10:00:03.000000002Z" })]);
        assert.deepEqual(nanos, { added: 2, known: 0 });
        // Another field value is another event.
        assert.deepEqual(await ledger.append([stored({ ...POLL, ts: "2026-11-01T10:00:00Z", http_status: 500 })]), { added: 1, known: 0 });
        assert.equal((await ledger.stats()).events, 6);
      }));

    it("keeps the spec's fields only, exactly, and drops anything else on the line", () =>
      withLedger(make, async (ledger) => {
        await ledger.append([
          stored({ ts: "2026-11-01T10:00:00.123456789+01:00", type: "submitted", provider: "acme", model: "m", job: "j", attempt: 1, input_hash: "h", units: { image: 4, megapixel: "1.05" }, prompt: "a secret prompt", api_key: "sk-123" }),
          stored({ ts: "2026-11-02T10:00:00Z", type: "charged", provider: "acme", request_id: "r1", amount: "0.000000000000000001", currency: "USD", job: "j", attempt: 1 }),
        ]);
        const events = await ledger.jobEvents("j");
        assert.deepEqual(
          events.map((e) => e.event),
          [
            { attempt: 1, input_hash: "h", job: "j", model: "m", provider: "acme", ts: "2026-11-01T10:00:00.123456789+01:00", type: "submitted", units: { image: 4, megapixel: "1.05" } },
            { amount: "0.000000000000000001", attempt: 1, currency: "USD", job: "j", provider: "acme", request_id: "r1", ts: "2026-11-02T10:00:00Z", type: "charged" },
          ],
        );
        assert.equal(events[0]!.micros, us("2026-11-01T09:00:00.123Z") + 456);
      }));

    it("scans every event once without filters, and whole jobs with them", () =>
      withLedger(make, async (ledger) => {
        const values = scenarioEvents();
        await ledger.append(values.map(stored));
        assert.equal((await scanAll(ledger)).length, values.length);
        const scanned = await scanAll(ledger, { sinceMicros: us("2026-11-02T00:00:00Z"), untilMicros: us("2026-11-03T00:00:00Z"), duplicateWindowMicros: 600e6 });
        const jobs = new Set(scanned.map((line) => (JSON.parse(line.slice(line.indexOf(" ") + 1)) as { job?: string }).job));
        // straddle's attempt 1 (before the range) comes with it; orig is what dup may duplicate.
        assert.deepEqual([...jobs].sort(), ["dup", "j1", "orig", "straddle"]);
        assert.equal(scanned.length, 15);
        const byProvider = await scanAll(ledger, { provider: "acme", sinceMicros: us("2026-11-03T00:00:00Z"), untilMicros: us("2026-11-04T00:00:00Z"), duplicateWindowMicros: 600e6 });
        assert.equal(byProvider.length, 6, "adup and zeta's zorig, which adup duplicates");
        const charged = await scanAll(ledger, { sinceMicros: us("2026-11-09T00:00:00Z") });
        assert.equal(charged.length, 4, "far and its charge from a day later");
        assert.deepEqual(await scanAll(ledger, { model: "no-such-model" }), []);
      }));

    it("finds what a job in range may duplicate across a long window, and a job whose events span hours, whole", () =>
      withLedger(make, async (ledger) => {
        const base = { provider: "acme", model: "acme/img-fast", input_hash: "same" };
        // orig: submitted 5 h 59 min before dup and still in flight then; dup is in the range.
        await ledger.append(
          [
            { ...base, job: "orig", attempt: 1, ts: "2026-11-05T00:01:00Z", type: "submitted" },
            { ...base, job: "orig", attempt: 1, ts: "2026-11-05T09:00:00Z", type: "completed", outcome: "succeeded" },
            { ...base, job: "dup", attempt: 1, ts: "2026-11-05T06:00:00Z", type: "submitted" },
            { ...base, job: "other", attempt: 1, ts: "2026-11-04T23:00:00Z", type: "submitted" },
          ].map(stored),
        );
        const range = { sinceMicros: us("2026-11-05T05:00:00Z"), untilMicros: us("2026-11-05T07:00:00Z") };
        const jobsOf = (lines: string[]): string[] => [...new Set(lines.map((l) => (JSON.parse(l.slice(l.indexOf(" ") + 1)) as { job: string }).job))].sort();
        // Six hours cover several blocks of the index by input hash (about 72 minutes each).
        assert.deepEqual(jobsOf(await scanAll(ledger, { ...range, duplicateWindowMicros: 6 * 3600e6 })), ["dup", "orig"]);
        assert.deepEqual(jobsOf(await scanAll(ledger, { ...range, duplicateWindowMicros: 8 * 3600e6 })), ["dup", "orig", "other"]);
        assert.deepEqual(jobsOf(await scanAll(ledger, { ...range, duplicateWindowMicros: 600e6 })), ["dup"]);
        // orig's events lie nine hours apart: the job is read whole.
        assert.deepEqual((await ledger.jobEvents("orig")).map((e) => e.event.type), ["submitted", "completed"]);
      }));

    it("audits exactly as auditing the files does, filters and late charges included", async () => {
      const dir = tempDir();
      const values = scenarioEvents();
      const file = writeJsonl(dir, "scenario.jsonl", values);
      await withLedger(make, async (ledger) => {
        await ledger.append(values.map(stored));
        assert.deepEqual(await auditLedger(ledger, { policies }), await auditFiles([file], { policies }));
        const day = { policies, sinceMicros: us("2026-11-02T00:00:00Z"), untilMicros: us("2026-11-03T00:00:00Z") };
        const fromLedger = await auditLedger(ledger, day);
        assert.deepEqual(withoutReadCounts(fromLedger), withoutReadCounts(await auditFiles([file], day)));
        // By hand: straddle's attempt 2 (0.002 + 0.003), dup (the same, all waste: it duplicates
        // orig, submitted 6 minutes before the range), j1 (0.002 + 2 × 0.003).
        assert.equal(fromLedger.attempts, 3);
        assert.equal(fromLedger.billed, "0.018");
        assert.equal(fromLedger.useful, "0.013");
        assert.equal(fromLedger.waste_by_cause.duplicate_submission, "0.005");
        assert.equal(fromLedger.events, 15, "reads the matching jobs, not the ledger");
        const acme = { policies, provider: "acme", sinceMicros: us("2026-11-03T00:00:00Z"), untilMicros: us("2026-11-04T00:00:00Z") };
        const acmeReport = await auditLedger(ledger, acme);
        assert.deepEqual(withoutReadCounts(acmeReport), withoutReadCounts(await auditFiles([file], acme)));
        assert.equal(acmeReport.waste_by_cause.duplicate_submission, "0.005", "adup duplicates zeta's zorig");
        const model = { policies, model: "acme/img-fast", untilMicros: us("2026-11-02T00:00:00Z") };
        assert.deepEqual(withoutReadCounts(await auditLedger(ledger, model)), withoutReadCounts(await auditFiles([file], model)));

        // j1's bill arrives weeks later: it replaces the estimate for its attempt.
        await ledger.append([stored(LATE_CHARGE)]);
        const late = await auditLedger(ledger, day);
        assert.equal(late.billed, "0.06");
        assert.equal(late.useful, "0.055");
        const withCharge = writeJsonl(dir, "late.jsonl", [LATE_CHARGE]);
        assert.deepEqual(withoutReadCounts(late), withoutReadCounts(await auditFiles([file, withCharge], day)));
      });
    });

    it("gives the same report as the files on generated data, in many pages", async () => {
      const dir = tempDir();
      const { path: file } = await generatedFile(dir, "generated.jsonl", 15_000, 11, { jobGapMs: 30_000 });
      const policies = await examplePolicies();
      await withLedger(make, async (ledger) => {
        const first = await ingestFiles(ledger, [file], { batchSize: 2500 });
        assert.equal(first.known, 0);
        assert.deepEqual(await ingestFiles(ledger, [file]), { ...first, added: 0, known: first.events });
        const whole = await auditLedger(ledger, { policies });
        assert.deepEqual(whole, await auditFiles([file], { policies }));
        assert.ok(whole.patterns.duplicate_submission.count > 0, "the data has duplicates to judge");
        const filters: Partial<Report>[] = [];
        for (const f of [
          { sinceMicros: us("2026-11-01T02:00:00Z"), untilMicros: us("2026-11-01T06:00:00Z") },
          { provider: "fal" },
          { model: "black-forest-labs/flux-schnell", sinceMicros: us("2026-11-01T04:00:00Z") },
          { sinceMicros: us("2026-11-01T03:00:00Z"), untilMicros: us("2026-11-01T03:30:00Z"), duplicateWindowSeconds: 1800 },
        ]) {
          const fromLedger = await auditLedger(ledger, { policies, ...f });
          assert.deepEqual(withoutReadCounts(fromLedger), withoutReadCounts(await auditFiles([file], { policies, ...f })), JSON.stringify(f));
          assert.ok(fromLedger.events < whole.events, "a filtered audit reads fewer events");
          filters.push(fromLedger);
        }
        assert.ok(filters.every((r) => r.jobs! > 0));
      });
    });

    it("returns one job's events in time order, with its charges", () =>
      withLedger(make, async (ledger) => {
        await ledger.append(scenarioEvents().map(stored));
        const far = await ledger.jobEvents("far");
        assert.deepEqual(
          far.map((e) => e.event.type),
          ["submitted", "created", "completed", "charged"],
        );
        assert.deepEqual(await ledger.jobEvents("nobody"), []);
      }));

    it("tells its size and span", () =>
      withLedger(make, async (ledger) => {
        assert.deepEqual({ ...(await ledger.stats()), bytes: 0 }, { events: 0, jobs: 0, attempts: 0, bytes: 0 });
        const values = scenarioEvents();
        await ledger.append(values.map(stored));
        const s = await ledger.stats();
        assert.equal(s.events, values.length);
        assert.equal(s.jobs, 9);
        assert.equal(s.attempts, 10);
        assert.equal(s.firstMicros, us("2026-11-01T10:00:00Z"));
        assert.equal(s.lastMicros, us("2026-11-11T00:00:00Z"));
        assert.ok(s.bytes! > 0);
      }));

    it("reads, judges and prunes jobs whose events lie years or hours apart, with windows of any width", { timeout: 60_000 }, () =>
      withLedger(make, async (ledger) => {
        const acme = { provider: "acme", model: "acme/img-fast", attempt: 1 };
        const values = [
          // wide: a stray 1990 time on its submission, 37 years before its completion.
          { ...acme, job: "wide", ts: "1990-01-01T00:00:00Z", type: "submitted", input_hash: "w" },
          { ...acme, job: "wide", request_id: "rw", ts: "2026-11-05T01:00:00Z", type: "completed", outcome: "succeeded" },
          { ...acme, job: "wdup", ts: "2026-11-05T02:00:00Z", type: "submitted", input_hash: "w" },
          // keepme ends before the cut-off, but a charge naming it (on another request id) comes after.
          { ...acme, job: "keepme", request_id: "rk", ts: "2026-11-01T00:00:00Z", type: "created" },
          { ...acme, job: "keepme", request_id: "rk", ts: "2026-11-01T00:05:00Z", type: "completed", outcome: "succeeded" },
          { provider: "acme", job: "keepme", request_id: "rk-bill", ts: "2026-11-10T00:00:00Z", type: "charged", amount: "0.01", currency: "USD" },
          // oldmulti: six hours, several time blocks, all before the cut-off.
          { ...acme, job: "oldmulti", request_id: "ro", ts: "2026-11-01T00:00:00Z", type: "created" },
          { ...acme, job: "oldmulti", request_id: "ro", ts: "2026-11-01T03:00:00Z", type: "polled" },
          { ...acme, job: "oldmulti", request_id: "ro", ts: "2026-11-01T06:00:00Z", type: "completed", outcome: "failed" },
        ];
        const jobsOf = (lines: string[]): string[] => [...new Set(lines.map((l) => (JSON.parse(l.slice(l.indexOf(" ") + 1)) as { job: string }).job))].sort();
        await ledger.append(values.map(stored));
        assert.deepEqual((await ledger.jobEvents("wide")).map((e) => e.event.type), ["submitted", "completed"]);
        // Blocks before and after the epoch (negative times): the same blocks here as in the database.
        const epoch = [
          { ...acme, job: "epoch", ts: "1969-12-31T22:00:00Z", type: "submitted", input_hash: "e" },
          { ...acme, job: "epoch", request_id: "re", ts: "1970-01-01T03:00:00Z", type: "completed", outcome: "succeeded" },
        ];
        await ledger.append(epoch.map(stored));
        assert.deepEqual((await ledger.jobEvents("epoch")).map((e) => e.event.ts), ["1969-12-31T22:00:00Z", "1970-01-01T03:00:00Z"]);
        await ledger.append([stored({ ...acme, job: "epoch2", ts: "1970-01-01T00:30:00Z", type: "submitted", input_hash: "e" })]);
        const early = { sinceMicros: us("1970-01-01T00:00:00Z"), untilMicros: us("1970-01-01T01:00:00Z"), duplicateWindowMicros: 3 * 3600e6 };
        assert.deepEqual(jobsOf(await scanAll(ledger, early)), ["epoch", "epoch2"]);
        const range = { sinceMicros: us("2026-11-05T01:30:00Z"), untilMicros: us("2026-11-05T02:30:00Z") };
        assert.deepEqual(jobsOf(await scanAll(ledger, { ...range, duplicateWindowMicros: 600e6 })), ["wdup"]);
        // wide was submitted (as far as the log says) 37 years before wdup, with the same input.
        assert.deepEqual(jobsOf(await scanAll(ledger, { ...range, duplicateWindowMicros: 40 * 366 * 86_400e6 })), ["wdup", "wide"]);
        assert.deepEqual(jobsOf(await scanAll(ledger, { ...range, duplicateWindowMicros: Number.MAX_VALUE })), ["wdup", "wide"]);
        // oldmulti, epoch and epoch2 end before the date.
        assert.deepEqual(await ledger.prune(us("2026-11-03T00:00:00Z")), { events: 6, jobs: 3 });
        assert.deepEqual(await ledger.jobEvents("oldmulti"), []);
        assert.equal((await ledger.jobEvents("keepme")).length, 3, "its charge names it and comes after the date");
        assert.equal((await ledger.stats()).events, values.length - 3);
      }));

    it("prunes old jobs whole and never breaks a job that straddles the date", () =>
      withLedger(make, async (ledger) => {
        const values = scenarioEvents();
        await ledger.append(values.map(stored));
        const changes = await ledger.changeCount();
        // orig and oldcharged (3 + 4 events), and the old charge that matches nothing.
        assert.deepEqual(await ledger.prune(us("2026-11-02T00:00:00Z")), { events: 8, jobs: 2 });
        assert.ok((await ledger.changeCount()) > changes);
        const s = await ledger.stats();
        assert.equal(s.events, values.length - 8);
        assert.equal(s.jobs, 7);
        assert.equal((await ledger.jobEvents("straddle")).length, 6);
        assert.equal((await ledger.jobEvents("latecharged")).length, 4, "charged after the date: kept whole");
        assert.deepEqual(await ledger.jobEvents("orig"), []);
        assert.deepEqual(await ledger.jobEvents("oldcharged"), []);
        // What is left audits like the files without the pruned events.
        const kept = values.filter((v) => !["orig", "oldcharged"].includes(v.job as string) && !["oc1", "old-unknown"].includes(v.request_id as string));
        const file = writeJsonl(tempDir(), "kept.jsonl", kept);
        assert.deepEqual(await auditLedger(ledger, { policies }), await auditFiles([file], { policies }));
        assert.deepEqual(await ledger.prune(us("2026-11-02T00:00:00Z")), { events: 0, jobs: 0 });
      }));

    it("counts changes, not repeats", () =>
      withLedger(make, async (ledger) => {
        const start = await ledger.changeCount();
        await ledger.append([stored({ ...POLL, ts: "2026-11-01T10:00:00Z" })]);
        const after = await ledger.changeCount();
        assert.ok(after > start);
        await ledger.append([stored({ ...POLL, ts: "2026-11-01T10:00:00Z" })]);
        assert.equal(await ledger.changeCount(), after);
        assert.deepEqual(await ledger.append([]), { added: 0, known: 0 });
      }));

    it("keeps named snapshots", () =>
      withLedger(make, async (ledger) => {
        assert.equal(await ledger.readSnapshot("report"), undefined);
        await ledger.writeSnapshot("report", '{"billed":"1.5"}');
        await ledger.writeSnapshot("report", '{"billed":"2.5"}');
        await ledger.writeSnapshot("other", "x");
        assert.equal(await ledger.readSnapshot("report"), '{"billed":"2.5"}');
        assert.equal(await ledger.readSnapshot("other"), "x");
      }));
  });
}
