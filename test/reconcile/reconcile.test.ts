import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { ReconcileItem, ReconcileResult } from "../../src/reconcile/reconcile-result.js";
import { makeWorkspace, run } from "./fixture.js";

// Estimates from the acme policy (see fixture.ts): r1 0.006 (failed), r2 0.015, r4 0.014,
// r5 0.017, r6 0.017 (duplicate), r7 0–0.003 (canceled, unknown).
const BILL = `request_id,amount,currency,time
r1,0.006,USD,2026-11-01T10:00:06Z
r2,0.015,USD,2026-11-01T10:01:05Z
r2,0.015,USD,2026-11-01T10:01:05Z
r4,0.0141,USD,2026-11-01T10:03:04Z
r5,0.02,USD,2026-11-01T10:04:07Z
r6,0.017,USD,2026-11-01T10:05:07Z
r7,0.003,USD,2026-11-01T10:06:03Z
zz,0.5,USD,2026-11-01T12:00:00Z
`;

async function reconcileJson(dir: string, ...args: string[]): Promise<{ code: number; json: ReconcileResult; stderr: string }> {
  const r = await run(dir, "reconcile", "--events", "events.jsonl", "--json", ...args);
  return { code: r.code, json: JSON.parse(r.stdout) as ReconcileResult, stderr: r.stderr };
}

describe("reconcile", () => {
  it("sorts every charge into a class, with exact money totals (hand-computed)", async () => {
    const dir = makeWorkspace({ "bill.csv": `${BILL}r8,0.01,EUR,2026-11-01T12:00:00Z\n` });
    const { code, json } = await reconcileJson(dir, "--invoice", "bill.csv");
    assert.equal(code, 0);
    const c = json.classes;
    assert.deepEqual(c.matched, { count: 2, billed: "0.0291", estimate_low: "0.029", estimate_high: "0.029", unexplained: "0" });
    assert.deepEqual(c.mismatch, { count: 1, billed: "0.02", estimate_low: "0.017", estimate_high: "0.017", unexplained: "0.003" });
    assert.deepEqual(c.failed, { count: 2, billed: "0.009", estimate_low: "0.006", estimate_high: "0.009", unexplained: "0" });
    assert.deepEqual(c.duplicate, { count: 1, billed: "0.017", estimate_low: "0.017", estimate_high: "0.017", unexplained: "0" });
    assert.deepEqual(c.unknown, { count: 1, billed: "0.5", estimate_low: "0", estimate_high: "0", unexplained: "0.5" });
    assert.deepEqual(c.missing, { count: 0, billed: "0", estimate_low: "0", estimate_high: "0", unexplained: "0" });
    assert.deepEqual(json.totals, { bill: "0.5751", estimate_low: "0.069", estimate_high: "0.072", net_difference: "0.5061", unexplained: "0.503" });
    assert.deepEqual(json.other_currency, { count: 1, amounts: { EUR: "0.01" } });
    assert.equal(json.duplicate_rows, 1);
    assert.equal(json.bad_rows, 0);
    const mismatch = json.items.find((i: ReconcileItem) => i.class === "mismatch");
    assert.deepEqual(mismatch, { class: "mismatch", request_id: "r5", provider: "acme", model: "acme/img-1", job: "j3", attempt: 1, outcome: "succeeded", cause: null, billed: "0.02", estimate_low: "0.017", estimate_high: "0.017", ledger_charge: null, difference: "0.003", agrees: false, rows: ["bill.csv:6"] });
    const failed = json.items.filter((i: ReconcileItem) => i.class === "failed").map((i: ReconcileItem) => [i.request_id, i.outcome, i.cause]);
    assert.deepEqual(failed, [["r1", "failed", "unavailable"], ["r7", "canceled", "canceled"]]);
    assert.equal(json.items.find((i: ReconcileItem) => i.class === "duplicate")!.cause, "duplicate_submission");
    assert.ok(json.problems.some((p: ReconcileResult["problems"][number]) => p.kind === "duplicate_row" && p.line === 4 && /repeats line 3/.test(p.why)));
    assert.ok(json.problems.some((p: ReconcileResult["problems"][number]) => /1 rows are in EUR, not the ledger's currency \(USD\): not reconciled, not written back \(bill\.csv:10\)/.test(p.why)));
    assert.deepEqual(json.period, { start: "2026-11-01T00:00:00Z", end: "2026-11-02T00:00:00Z" });
  });

  it("reads the tolerance as money, as a share of the estimate, or both", async () => {
    const dir = makeWorkspace({ "bill.csv": BILL });
    assert.equal((await reconcileJson(dir, "--invoice", "bill.csv", "--tolerance", "0")).json.classes.mismatch.count, 2);
    assert.equal((await reconcileJson(dir, "--invoice", "bill.csv", "--tolerance", "0.003")).json.classes.mismatch.count, 0);
    assert.equal((await reconcileJson(dir, "--invoice", "bill.csv", "--tolerance", "0.0001,1%")).json.classes.mismatch.count, 1);
    assert.equal((await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--tolerance", "-1")).code, 2);
    assert.equal((await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--tolerance", "1%,2%")).code, 2);
  });

  it("exits 1 when the unexplained difference is over --fail-over, for CI", async () => {
    const dir = makeWorkspace({ "bill.csv": BILL });
    assert.equal((await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--fail-over", "0.503")).code, 0);
    const over = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--fail-over", "0.5");
    assert.equal(over.code, 1);
    assert.match(over.stderr, /unexplained difference \$0\.503 is over --fail-over \$0\.5/);
    assert.match(over.stdout, /charges the ledger never saw/);
    const timed = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--since", "2026-11-01", "--until", "2026-11-01T10:10:00Z");
    assert.match(timed.stdout, /2026-11-01 – 2026-11-01T10:10:00Z \(end exclusive\)/);
    const eur = makeWorkspace({ "bill.csv": `${BILL}r8,0.01,EUR,2026-11-01T12:00:00Z\n` });
    const mixed = await run(eur, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--fail-over", "10");
    assert.equal(mixed.code, 1);
    assert.match(mixed.stderr, /1 bill rows are in another currency than USD/);
  });

  it("finds the attempts the bill should have charged and did not, in its period and for its provider", async () => {
    const dir = makeWorkspace({ "bill.csv": "request_id,amount,currency,time\nr1,0.006,USD,2026-11-01\nr2,0.015,USD,2026-11-01\n" });
    const { json } = await reconcileJson(dir, "--invoice", "bill.csv");
    assert.deepEqual(json.classes.missing, { count: 3, billed: "0", estimate_low: "0.048", estimate_high: "0.048", unexplained: "0.048" });
    assert.deepEqual(json.items.filter((i: ReconcileItem) => i.class === "missing").map((i: ReconcileItem) => [i.request_id, i.estimate_low, i.difference]), [["r4", "0.014", "-0.014"], ["r5", "0.017", "-0.017"], ["r6", "0.017", "-0.017"]]);
    assert.equal(json.unknown_not_billed, 1, "j5 (canceled, unknown) was not charged");
    assert.deepEqual(json.providers, ["acme"]);
    const later = await reconcileJson(dir, "--invoice", "bill.csv", "--since", "2026-11-01T10:04:00Z");
    assert.equal(later.json.classes.missing.count, 2);
    const other = await reconcileJson(dir, "--invoice", "bill.csv", "--provider", "someone-else");
    assert.equal(other.json.classes.missing.count, 0);
    // A charge left off the bill is unexplained whole, even under an absolute tolerance larger than it.
    const tolerant = await reconcileJson(dir, "--invoice", "bill.csv", "--tolerance", "0.02");
    assert.equal(tolerant.json.classes.missing.unexplained, "0.048");
    assert.ok(tolerant.json.items.filter((i: ReconcileItem) => i.class === "missing").every((i: ReconcileItem) => !i.agrees), "a missing item counted as unexplained does not agree");
  });

  it("nets credits and refunds into their request id", async () => {
    const dir = makeWorkspace({ "bill.csv": "request_id,amount,currency,time\nr5,0.02,USD,2026-11-01\nr5,-0.003,USD,2026-11-02\nr1,0.006,USD,2026-11-01\nr1,-0.006,USD,2026-11-02\n" });
    const { json } = await reconcileJson(dir, "--invoice", "bill.csv", "--provider", "nobody");
    assert.equal(json.classes.matched.count, 1, "r5 nets to 0.017, the estimate");
    assert.deepEqual(json.credits, { count: 2, amount: "-0.009" });
    const r1 = json.items.find((i: ReconcileItem) => i.request_id === "r1")!;
    assert.equal(r1.class, "mismatch", "a refunded failure is below the policy's estimate");
    assert.equal(r1.billed, "0");
  });

  it("writes the reconciled charges back as charged events, so a later audit uses real money", async () => {
    const dir = makeWorkspace({ "bill.csv": BILL });
    const r = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--charges-out", "charges.jsonl");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote 6 charged events to charges\.jsonl/);
    const charges = readFileSync(join(dir, "charges.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(charges.map((c) => [c.request_id, c.amount, c.currency, c.ts]), [
      ["r1", "0.006", "USD", "2026-11-01T10:00:06Z"],
      ["r2", "0.015", "USD", "2026-11-01T10:01:05Z"],
      ["r4", "0.0141", "USD", "2026-11-01T10:03:04Z"],
      ["r5", "0.02", "USD", "2026-11-01T10:04:07Z"],
      ["r6", "0.017", "USD", "2026-11-01T10:05:07Z"],
      ["r7", "0.003", "USD", "2026-11-01T10:06:03Z"],
    ]);
    const audit = JSON.parse((await run(dir, "audit", "events.jsonl", "charges.jsonl", "--json")).stdout);
    assert.equal(audit.billed, "0.0751");
    assert.equal(audit.range.billed_high, "0.0751", "charged attempts have no range");
    assert.equal(audit.unmatched_charges.count, 0);
    // Reconciling again with the charges in the input gives the same classes and nothing to write.
    const again = await run(dir, "reconcile", "--events", "events.jsonl", "charges.jsonl", "--invoice", "bill.csv", "--json", "--charges-out", "again.jsonl");
    const againJson = JSON.parse(again.stdout) as ReconcileResult;
    assert.equal(againJson.totals.unexplained, "0.503");
    assert.equal(readFileSync(join(dir, "again.jsonl"), "utf8"), "");
    assert.ok(againJson.problems.some((p) => /6 charges were already in the ledger with the same totals/.test(p.why)));
    // A corrected bill (r7 0.003 → 0.002) writes the difference only: the total becomes the new bill's.
    writeFileSync(join(dir, "fixed.csv"), BILL.replace("r7,0.003", "r7,0.002"));
    assert.ok(BILL.includes("r7,0.003"));
    const fixed = await run(dir, "reconcile", "--events", "events.jsonl", "charges.jsonl", "--invoice", "fixed.csv", "--charges-out", "fixed.jsonl");
    assert.equal(fixed.code, 0, fixed.stderr);
    const delta = readFileSync(join(dir, "fixed.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(delta.map((c) => [c.request_id, c.amount]), [["r7", "-0.001"]]);
    const after = JSON.parse((await run(dir, "audit", "events.jsonl", "charges.jsonl", "fixed.jsonl", "--json")).stdout);
    assert.equal(after.billed, "0.0741");
    // A refund of r7 on the next month's bill is that bill's own charge: written whole, it
    // brings r7's total to 0 (it does not replace November's charge as a correction would).
    writeFileSync(join(dir, "december.csv"), "request_id,amount,currency,time\nr7,-0.002,USD,2026-12-03T09:00:00Z\n");
    const december = await run(dir, "reconcile", "--events", "events.jsonl", "charges.jsonl", "fixed.jsonl", "--invoice", "december.csv", "--charges-out", "december.jsonl");
    assert.equal(december.code, 0, december.stderr);
    const refund = readFileSync(join(dir, "december.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(refund.map((c) => [c.request_id, c.amount, c.ts]), [["r7", "-0.002", "2026-12-03T09:00:00Z"]]);
    const refunded = JSON.parse((await run(dir, "audit", "events.jsonl", "charges.jsonl", "fixed.jsonl", "december.jsonl", "--json")).stdout);
    assert.equal(refunded.billed, "0.0721");
  });

  it("dates an undated row's charge inside the bill's period, so a corrected bill replaces it", async () => {
    // r2 ended on 2026-11-01; this bill covers from the 2nd and its rows carry no time.
    const dir = makeWorkspace({ "bill.csv": "request_id,amount,currency\nr2,0.015,USD\n", "fixed.csv": "request_id,amount,currency\nr2,0.016,USD\n" });
    const period = ["--since", "2026-11-02", "--until", "2026-12-01"];
    const first = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", ...period, "--charges-out", "first.jsonl");
    assert.equal(first.code, 0, first.stderr);
    const written = readFileSync(join(dir, "first.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(written.map((c) => [c.request_id, c.amount, c.ts]), [["r2", "0.015", "2026-11-02T00:00:00Z"]]);
    const fixed = await run(dir, "reconcile", "--events", "events.jsonl", "first.jsonl", "--invoice", "fixed.csv", ...period, "--charges-out", "fixed.jsonl");
    assert.equal(fixed.code, 0, fixed.stderr);
    const delta = readFileSync(join(dir, "fixed.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(delta.map((c) => [c.request_id, c.amount]), [["r2", "0.001"]]);
  });

  it("takes every charge of an attempt as an undated bill's own when no period is given: read again it writes nothing, corrected it writes the difference", async () => {
    const dir = makeWorkspace({ "bill.csv": "request_id,amount,currency\nr2,0.015,USD\n", "fixed.csv": "request_id,amount,currency\nr2,0.012,USD\n" });
    const first = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--json", "--charges-out", "first.jsonl");
    assert.equal(first.code, 0, first.stderr);
    assert.ok((JSON.parse(first.stdout) as ReconcileResult).problems.some((p) => /the bill has no dates/.test(p.why)));
    const written = readFileSync(join(dir, "first.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(written.map((c) => [c.request_id, c.amount]), [["r2", "0.015"]]);
    const again = await run(dir, "reconcile", "--events", "events.jsonl", "first.jsonl", "--invoice", "bill.csv", "--charges-out", "again.jsonl");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(join(dir, "again.jsonl"), "utf8"), "");
    const fixed = await run(dir, "reconcile", "--events", "events.jsonl", "first.jsonl", "--invoice", "fixed.csv", "--charges-out", "fixed.jsonl");
    assert.equal(fixed.code, 0, fixed.stderr);
    const delta = readFileSync(join(dir, "fixed.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(delta.map((c) => [c.request_id, c.amount]), [["r2", "-0.003"]]);
    // A charge dated far from the attempt still counts: with no period, all of them are this bill's.
    writeFileSync(join(dir, "old.jsonl"), `${JSON.stringify({ ...written[0], ts: "2025-01-15T00:00:00Z" })}\n`);
    const old = await run(dir, "reconcile", "--events", "events.jsonl", "old.jsonl", "--invoice", "bill.csv", "--charges-out", "old-out.jsonl");
    assert.equal(old.code, 0, old.stderr);
    assert.equal(readFileSync(join(dir, "old-out.jsonl"), "utf8"), "");
  });

  it("writes nothing back and exits 1 when the bill has bad rows, naming line and column", async () => {
    const dir = makeWorkspace({ "bill.csv": "request_id,amount,currency\nr1,0.006,USD\nr2,0.01O,USD\n" });
    const r = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--charges-out", "charges.jsonl");
    assert.equal(r.code, 1);
    assert.match(r.stdout, /bill\.csv:3: amount \(amount\): "0\.01O" is not a plain decimal number/);
    assert.match(r.stdout, /nothing written back: the bill has 1 bad rows/);
    assert.match(r.stderr, /1 bad rows in bill\.csv/);
    assert.equal(existsSync(join(dir, "charges.jsonl")), false);
    // r2's row is on the bill, though unreadable: it is a bad row, not an attempt the bill left out.
    const { json } = await reconcileJson(dir, "--invoice", "bill.csv");
    assert.ok(!json.items.some((i: ReconcileItem) => i.class === "missing" && i.request_id === "r2"));
  });

  it("matches its own FOCUS export exactly", async () => {
    const dir = makeWorkspace();
    assert.equal((await run(dir, "export", "focus", "--events", "events.jsonl", "--out", "focus.csv")).code, 0);
    const { code, json } = await reconcileJson(dir, "--invoice", "focus.csv", "--tolerance", "0", "--fail-over", "0");
    assert.equal(code, 0);
    assert.equal(json.bill.format, "focus");
    assert.equal(json.totals.unexplained, "0");
    assert.equal(json.totals.bill, "0.069");
    assert.deepEqual([json.classes.matched.count, json.classes.failed.count, json.classes.duplicate.count, json.classes.unknown.count, json.classes.missing.count], [5, 1, 1, 0, 0]);
    // The rejected request has no request id: its row is matched by x_Job and x_Attempt.
    assert.ok(!json.problems.some((p) => /no request id/.test(p.why)));
  });

  it("matches a row without a request id by the job and attempt it names, and writes it back with the attempt's id", async () => {
    const dir = makeWorkspace({ "bill.csv": "job,attempt,amount,currency\nj1,2,0.015,USD\nj2,1,0.001,USD\n" });
    const r = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--json", "--charges-out", "c.jsonl");
    const json = JSON.parse(r.stdout) as ReconcileResult;
    assert.equal(json.classes.matched.count, 1);
    // j2 #1 was rejected for a rate limit (free): a charge for it is a charged failure, with no request id to write back.
    assert.deepEqual(json.items.filter((i) => i.class !== "missing").map((i) => [i.class, i.request_id, i.job, i.attempt, i.billed]), [["failed", null, "j2", 1, "0.001"]]);
    assert.ok(json.problems.some((p) => /1 charges matched by job and attempt to attempts without a request id are not written back/.test(p.why)));
    const written = readFileSync(join(dir, "c.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(written.map((c) => [c.request_id, c.amount]), [["r2", "0.015"]]);
  });

  it("explains an unreadable bill and a missing --invoice", async () => {
    const dir = makeWorkspace({ "odd.csv": "a,b\n1,2\n" });
    const odd = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "odd.csv");
    assert.equal(odd.code, 2);
    assert.match(odd.stderr, /odd\.csv: cannot tell which column holds the request id and the amount; the bill's columns are: a, b/);
    assert.equal((await run(dir, "reconcile", "--events", "events.jsonl")).code, 2);
  });

  it("prints a readable table by default", async () => {
    const dir = makeWorkspace({ "bill.csv": BILL });
    const r = await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv");
    assert.match(r.stdout, /amount mismatches\s+1\s+\$0\.02\s+\$0\.017\s+\$0\.003/);
    assert.match(r.stdout, /unexplained difference \(outside the tolerance\): \$0\.503/);
  });
});
