import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatDecimal } from "../../src/core/index.js";
import { isFileError, isUsageError } from "../../src/errors.js";
import { parseColumnMap } from "../../src/reconcile/bill-columns.js";
import { readBill } from "../../src/reconcile/read-bill.js";

function bill(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "failcost-bill-"));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const read = (path: string, map: string[] = [], currency?: string) => readBill(path, { map: parseColumnMap(map), displayName: path.split("/").pop()!, ...(currency ? { currency } : {}) });

describe("reading a bill", () => {
  it("finds common column names, reads amounts exactly, and lists the columns it does not read", async () => {
    const b = await read(bill("usage.csv", "Prediction ID,Cost,Currency,Created At,Hardware\nr1,0.000725,USD,2026-11-01T10:00:00Z,gpu\nr2,1.5E-3,usd,2026-11-01,cpu\n"));
    assert.deepEqual(b.columns, { id: "Prediction ID", amount: "Cost", currency: "Currency", time: "Created At" });
    assert.deepEqual(b.ignoredColumns, ["Hardware"]);
    assert.deepEqual(b.rows.map((r) => [r.requestId, formatDecimal(r.amount), r.currency]), [["r1", "0.000725", "USD"], ["r2", "0.0015", "USD"]]);
    assert.equal(b.rows[1]!.micros, Date.UTC(2026, 10, 1) * 1000);
    assert.equal(b.format, "csv");
  });

  it("refuses a bill whose request id or amount column it cannot find, listing its columns and --map", async () => {
    await assert.rejects(read(bill("odd.csv", "foo,bar,baz\n1,2,3\n")), (e: unknown) => {
      assert.ok(isFileError(e));
      assert.match((e as Error).message, /odd\.csv: cannot tell which column holds the request id and the amount; the bill's columns are: foo, bar, baz\. Name them with --map id=COLUMN,amount=COLUMN/);
      return true;
    });
    const ok = await read(bill("odd.csv", "foo,bar,baz\nr1,0.5,x\n"), ["id=foo,amount=bar"]);
    assert.equal(ok.rows[0]!.requestId, "r1");
    assert.deepEqual(ok.ignoredColumns, ["baz"]);
  });

  it("says which --map column does not exist, and which field is unknown", async () => {
    await assert.rejects(read(bill("b.csv", "id,amount\nr1,1\n"), ["amount=cost"]), /b\.csv: --map amount=cost: the bill has no column 'cost' \(its columns: id, amount\)/);
    assert.throws(() => parseColumnMap(["price=cost"]), (e: unknown) => isUsageError(e) && /unknown field 'price'/.test((e as Error).message));
    assert.throws(() => parseColumnMap(["idcost"]), /expected FIELD=COLUMN/);
  });

  it("names the line and column of each bad row, and keeps the good ones", async () => {
    const b = await read(bill("b.csv", "id,amount,currency,time\nr1,$0.12,USD,2026-11-01\nr2,1,5,USD,2026-11-01\nr3,0.1,US Dollars,2026-11-01\nr4,0.1,USD,yesterday\nr5,,USD,2026-11-01\nr6,0.2,USD,2026-11-01\n"));
    assert.deepEqual(b.rows.map((r) => r.requestId), ["r6"]);
    const bad = b.problems.filter((p) => p.kind === "bad_row").map((p) => `${p.origin.line} ${p.column}: ${p.why}`);
    assert.deepEqual(bad, [
      `2 amount: amount (amount): "$0.12" is not a plain decimal number (write 0.0123, no currency sign or thousands separator)`,
      "3 undefined: has 5 fields, the header has 4",
      `4 currency: currency (currency): "US Dollars" is not an ISO 4217 code such as USD`,
      `5 time: time (time): "yesterday" is not an ISO 8601 date-time`,
      "6 amount: amount (amount): is empty",
    ]);
    assert.equal(b.rowCount, 6);
  });

  it("keeps negative amounts (credits and refunds) exactly", async () => {
    const b = await read(bill("b.csv", "id,amount\nr1,0.05\nr1,-0.05\nr2,-1.25\n"), [], "USD");
    assert.deepEqual(b.rows.map((r) => formatDecimal(r.amount)), ["0.05", "-0.05", "-1.25"]);
    assert.equal(b.problems.length, 0);
  });

  it("counts an exact repeat of a row once and reports it with both lines", async () => {
    const b = await read(bill("b.csv", "id,amount,time\nr1,0.05,2026-11-01\nr2,0.05,2026-11-01\nr1,0.05,2026-11-01\n"));
    assert.equal(b.rows.length, 2);
    assert.deepEqual(b.problems.map((p) => [p.kind, p.origin.line, p.why]), [["duplicate_row", 4, "repeats line 2 exactly; counted once"]]);
  });

  it("reads JSON arrays (nested fields by dotted --map), wrapped lists and JSON Lines", async () => {
    const arr = await read(bill("b.json", JSON.stringify([{ id: "r1", cost: { total: 0.25 }, currency: "EUR" }, { id: "r2", cost: { total: "0.5" }, currency: "EUR" }])), ["amount=cost.total"]);
    assert.deepEqual(arr.rows.map((r) => [r.requestId, formatDecimal(r.amount), r.origin.unit, r.origin.line]), [["r1", "0.25", "item", 1], ["r2", "0.5", "item", 2]]);
    const wrapped = await read(bill("b.json", JSON.stringify({ data: [{ request_id: "r1", amount: "0.1" }] })));
    assert.equal(wrapped.rows[0]!.requestId, "r1");
    const jl = await read(bill("b.jsonl", `{"request_id":"r1","amount":"0.1"}\n\n{oops\n{"request_id":"r2","amount":"x"}\n`));
    assert.equal(jl.format, "jsonl");
    assert.deepEqual(jl.rows.map((r) => r.requestId), ["r1"]);
    assert.deepEqual(jl.problems.filter((p) => p.kind === "bad_row").map((p) => p.origin.line), [3, 4]);
  });

  it("recognises FOCUS rows by their columns", async () => {
    const b = await read(bill("f.csv", "BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ResourceId,ServiceProviderName,ChargeCategory\n0.01,USD,2026-11-01T10:00:00Z,2026-11-01T11:00:00Z,r1,acme,Usage\n0.02,USD,2026-11-01T10:00:00Z,2026-11-01T11:00:00Z,,acme,Tax\n"));
    assert.equal(b.format, "focus");
    assert.deepEqual(b.columns, { id: "ResourceId", amount: "BilledCost", currency: "BillingCurrency", time: "ChargePeriodStart", provider: "ServiceProviderName" });
    assert.equal(b.rows[0]!.endMicros, Date.UTC(2026, 10, 1, 11) * 1000);
    assert.equal(b.rows[1]!.requestId, undefined);
    assert.match(b.problems[0]!.why, /no request id/);
  });

  it("takes a FOCUS row's ResourceId where its x_RequestId is empty", async () => {
    const b = await read(bill("fx.csv", "BilledCost,BillingCurrency,ChargePeriodStart,ResourceId,x_RequestId\n0.01,USD,2026-11-01T10:00:00Z,r1,\n0.02,USD,2026-11-01T10:00:00Z,res-2,r2\n"));
    assert.deepEqual(b.rows.map((r) => r.requestId), ["r1", "r2"]);
    assert.equal(b.problems.length, 0);
  });

  it("reads a date-time without a zone as UTC, with a note", async () => {
    const b = await read(bill("b.csv", "id,amount,time\nr1,0.1,2026-11-01 10:00:00\n"));
    assert.equal(b.rows[0]!.micros, Date.UTC(2026, 10, 1, 10) * 1000);
    assert.deepEqual(b.problems.map((p) => p.kind), ["note"]);
  });

  it("refuses a file that is not CSV, with its name", async () => {
    await assert.rejects(read(bill("b.csv", 'id,amount\n"r1,0.1\n')), /b\.csv: not readable as CSV/);
    await assert.rejects(read(join(tmpdir(), "no-such-bill.csv")), /cannot read .*no such file/);
    await assert.rejects(read(bill("b.csv", "")), /the bill is empty/);
  });
});
