// FOCUS 1.3 conformance rules as project tests (the official validator is a Python package).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { addDecimal, formatDecimal, parseDecimal, ZERO } from "../../src/core/index.js";
import { CUSTOM_COLUMNS, FOCUS_COLUMNS } from "../../src/report/focus/focus-columns.js";
import { makeWorkspace, run } from "../reconcile/fixture.js";

const MANDATORY = [
  "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
  "BillingPeriodStart", "BillingPeriodEnd", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodStart",
  "ChargePeriodEnd", "PricingQuantity", "PricingUnit", "ServiceName", "ServiceCategory", "ProviderName", "PublisherName",
  "InvoiceIssuerName", "ServiceProviderName", "HostProviderName",
];
const NOT_NULL = [
  "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingAccountId", "BillingCurrency", "BillingPeriodStart",
  "BillingPeriodEnd", "ChargeCategory", "ChargePeriodStart", "ChargePeriodEnd", "ServiceName", "ServiceCategory",
  "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceProviderName", "HostProviderName", "ChargeFrequency",
];
const DECIMALS = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "PricingQuantity", "x_BilledCostHigh", "x_WastedCost", "x_RunSeconds"];
const DATES = ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"];
const SERVICE_CATEGORIES = ["AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other"];

async function exported(): Promise<{ text: string; header: string[]; rows: Record<string, string>[]; dir: string; stderr: string }> {
  const dir = makeWorkspace();
  const r = await run(dir, "export", "focus", "--events", "events.jsonl", "--out", "out.csv", "--metadata", "meta.json");
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(dir, "out.csv"), "utf8");
  const all: string[][] = parse(text, { bom: true });
  const header = all[0]!;
  const rows = all.slice(1).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]!])));
  return { text, header, rows, dir, stderr: r.stderr };
}

describe("export focus", () => {
  it("names columns as FOCUS asks: PascalCase alphanumeric, custom ones x_-prefixed and after all FOCUS columns", async () => {
    const { header } = await exported();
    for (const c of MANDATORY) assert.ok(header.includes(c), `missing mandatory column ${c}`);
    const firstCustom = header.findIndex((h) => h.startsWith("x_"));
    assert.ok(firstCustom > 0);
    for (const [i, h] of header.entries()) {
      if (i < firstCustom) assert.match(h, /^[A-Z][A-Za-z0-9]*$/, `FOCUS column ${h}`);
      else assert.match(h, /^x_[A-Z][A-Za-z0-9]*$/, `custom column ${h} must be x_ + PascalCase and come last`);
    }
    assert.deepEqual(header, [...FOCUS_COLUMNS, ...CUSTOM_COLUMNS]);
    assert.equal(new Set(header).size, header.length, "no column twice");
  });

  it("writes billed cost per attempt, hand-priced, summing exactly to the audit's billed", async () => {
    const { rows, dir } = await exported();
    const byAttempt = Object.fromEntries(rows.map((r) => [`${r.x_Job}#${r.x_Attempt}`, r.BilledCost]));
    assert.deepEqual(byAttempt, { "j1#1": "0.006", "j1#2": "0.015", "j2#1": "0", "j2#2": "0.014", "j3#1": "0.017", "j4#1": "0.017", "j5#1": "0" });
    const sum = rows.reduce((t, r) => addDecimal(t, parseDecimal(r.BilledCost!)!), ZERO);
    assert.equal(formatDecimal(sum), "0.069");
    const audit = JSON.parse((await run(dir, "audit", "events.jsonl", "--json")).stdout);
    assert.equal(audit.billed, "0.069");
    const waste = rows.reduce((t, r) => addDecimal(t, parseDecimal(r.x_WastedCost!)!), ZERO);
    assert.equal(formatDecimal(waste), audit.waste);
    assert.equal(rows.find((r) => r.x_Job === "j5")!.x_BilledCostHigh, "0.003");
  });

  it("carries the failure cause and request id in Tags and x_ columns", async () => {
    const { rows } = await exported();
    const dup = rows.find((r) => r.x_Job === "j4")!;
    assert.deepEqual(JSON.parse(dup.Tags!), { "failcost/job": "j4", "failcost/attempt": "1", "failcost/outcome": "succeeded", "failcost/used": "false", "failcost/request_id": "r6", "failcost/cause": "duplicate_submission" });
    assert.equal(dup.x_Cause, "duplicate_submission");
    assert.equal(dup.x_RequestId, "r6");
    assert.equal(dup.ResourceId, "r6");
    const failed = rows.find((r) => r.x_Job === "j1" && r.x_Attempt === "1")!;
    assert.equal(JSON.parse(failed.Tags!)["failcost/cause"], "unavailable");
    assert.equal(failed.x_FailureType, "unavailable");
    for (const r of rows) {
      const tags = JSON.parse(r.Tags!) as Record<string, unknown>;
      for (const k of Object.keys(tags)) assert.match(k, /^failcost\//, "provider-defined tag keys carry a prefix");
    }
  });

  it("writes nulls as empty cells, never as quoted empty strings or placeholders", async () => {
    const { text, rows } = await exported();
    for (const line of text.split("\n")) assert.ok(!/(^|,)""(,|$)/.test(line), `quoted empty cell in ${line}`);
    for (const r of rows) {
      for (const c of NOT_NULL) assert.notEqual(r[c], "", `${c} must not be null`);
      assert.equal(r.ChargeClass, "");
      for (const v of Object.values(r)) assert.ok(!["null", "NULL", "Not Applicable", "N/A"].includes(v), `placeholder ${v}`);
      // A charge not tied to a resource has a null ResourceId (the rejected request).
      if (r.x_Outcome === "rejected") assert.equal(r.ResourceId, "");
    }
  });

  it("formats numbers as plain decimals and times as YYYY-MM-DDTHH:mm:ssZ with exclusive ends", async () => {
    const { rows } = await exported();
    for (const r of rows) {
      for (const c of DECIMALS) if (r[c] !== "") assert.match(r[c]!, /^-?\d+(\.\d+)?$/, `${c}=${r[c]}`);
      for (const c of DATES) assert.match(r[c]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, `${c}=${r[c]}`);
      assert.ok(r.ChargePeriodStart! < r.ChargePeriodEnd!, "charge period end is after its start");
      assert.ok(r.BillingPeriodStart! <= r.ChargePeriodStart! && r.ChargePeriodEnd! <= r.BillingPeriodEnd!, "charge period inside the billing period");
      assert.equal(r.BillingPeriodStart, "2026-11-01T00:00:00Z");
      assert.equal(r.BillingPeriodEnd, "2026-12-01T00:00:00Z");
    }
    const first = rows.find((r) => r.x_Job === "j1" && r.x_Attempt === "1")!;
    assert.equal(first.ChargePeriodStart, "2026-11-01T10:00:00Z");
    assert.equal(first.ChargePeriodEnd, "2026-11-01T10:00:06Z");
  });

  it("keeps the cost columns consistent and the categories in FOCUS's lists", async () => {
    const { rows } = await exported();
    for (const r of rows) {
      assert.ok(["Usage", "Purchase", "Tax", "Credit", "Adjustment"].includes(r.ChargeCategory!));
      assert.ok(SERVICE_CATEGORIES.includes(r.ServiceCategory!));
      assert.equal(r.EffectiveCost, r.BilledCost);
      assert.equal(r.ListCost, r.BilledCost);
      assert.equal(r.ContractedCost, r.BilledCost);
      assert.equal(r.BillingCurrency, "USD");
      if (r.ChargeCategory === "Usage") {
        assert.notEqual(r.SkuId, "");
        assert.notEqual(r.SkuPriceId, "");
        assert.notEqual(r.PricingQuantity, "");
      }
    }
  });

  it("writes the schema metadata beside the data, not as a column", async () => {
    const { dir, header } = await exported();
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    assert.equal(meta.Schemas[0].FocusVersion, "1.3");
    const defs = meta.Schemas[0].ColumnDefinition as { ColumnName: string }[];
    assert.deepEqual(defs.map((c) => c.ColumnName), header);
  });

  it("quotes text with commas, quotes and line breaks so it reads back exactly", async () => {
    const odd = 'job, "quoted"\nnext line';
    const dir = makeWorkspace({}, [{ ts: "2026-11-01T10:00:00Z", provider: "acme", model: "acme/img-1", job: odd, attempt: 1, type: "rejected", http_status: 429 }]);
    const r = await run(dir, "export", "focus", "--events", "events.jsonl");
    assert.equal(r.code, 0, r.stderr);
    const all: string[][] = parse(r.stdout);
    assert.equal(all.length, 2);
    assert.equal(all[1]![all[0]!.indexOf("x_Job")], odd);
    assert.equal((JSON.parse(all[1]![all[0]!.indexOf("Tags")]!) as Record<string, string>)["failcost/job"], odd);
  });

  it("writes a refund larger than the charge as a Credit row", async () => {
    const dir = makeWorkspace({ "refund.jsonl": JSON.stringify({ type: "charged", ts: "2026-11-02T00:00:00Z", provider: "acme", request_id: "r1", amount: "-0.01", currency: "USD" }) + "\n" });
    const r = await run(dir, "export", "focus", "--events", "events.jsonl", "refund.jsonl");
    assert.equal(r.code, 0, r.stderr);
    const all: string[][] = parse(r.stdout);
    const h = all[0]!;
    const row = all.find((c) => c[h.indexOf("x_RequestId")] === "r1")!;
    assert.equal(row[h.indexOf("BilledCost")], "-0.01");
    assert.equal(row[h.indexOf("ChargeCategory")], "Credit");
    assert.equal(row[h.indexOf("x_CostSource")], "provider_charge");
  });
});
