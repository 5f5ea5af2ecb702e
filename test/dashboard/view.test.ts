import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { addDecimal, formatDecimal, parseDecimal, ZERO, type StoredEvent } from "../../src/core/index.js";
import { loadPolicies } from "../../src/policies/load-policies.js";
import { dayMicros, filterAuditOptions, filterQuery, readFilter } from "../../src/report/html/filter.js";
import { renderPage, scriptSafeJson } from "../../src/report/html/render-page.js";
import { withEvents } from "../../src/report/html/timeline.js";
import type { JobTimeline } from "../../src/report/html/view.js";
import { createViewBuilder } from "../../src/report/html/view-builder.js";
import { auditFiles } from "../../src/sources/audit-files.js";
import { storedEvents } from "./fixture.js";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");

async function exampleView() {
  const policies = await loadPolicies([resolve(EXAMPLES, "policies")]);
  const builder = createViewBuilder({ source: "examples", filter: {}, now: "2026-11-26T00:00:00Z", topJobs: 15 });
  const report = await auditFiles([resolve(EXAMPLES, "events.jsonl")], { policies, topJobs: 15, visit: builder.visit, threads: 1 });
  return builder.build(report);
}

const sum = (values: readonly string[]): string => formatDecimal(values.reduce((a, v) => addDecimal(a, parseDecimal(v)!), ZERO));

describe("the dashboard's view of an audit", () => {
  it("splits each cause's waste over the days exactly (the example log)", async () => {
    const view = await exampleView();
    const r = view.report;
    assert.deepEqual(view.daily.days, Object.keys(r.by_day));
    for (const [cause, total] of Object.entries(r.waste_by_cause)) {
      const row = view.daily.causes.find((c) => c.cause === cause);
      assert.equal(row ? sum(row.values) : "0", total, cause);
    }
    // Each day's causes add up to that day's waste.
    view.daily.days.forEach((d, i) => assert.equal(sum(view.daily.causes.map((c) => c.values[i]!)), r.by_day[d]!.waste, d));
  });

  it("keeps the most wasteful jobs' attempts, in the report's order, with their money", async () => {
    const view = await exampleView();
    assert.deepEqual(
      view.timelines.map((t) => t.job),
      view.report.top_jobs.map((j) => j.job),
    );
    view.timelines.forEach((t, i) => {
      const j = view.report.top_jobs[i]!;
      assert.equal(t.attempts.length, j.attempts);
      assert.equal(sum(t.attempts.map((a) => a.billed)), j.billed, j.job);
      assert.equal(sum(t.attempts.filter((a) => !a.used).map((a) => a.billed)), j.waste, j.job);
    });
    assert.deepEqual(view.models.map((m) => m.provider).filter((p, i, a) => a.indexOf(p) === i), Object.keys(view.report.by_provider));
  });
});

describe("dashboard filters", () => {
  it("reads dates, provider and model from the URL and refuses what is not a date", () => {
    assert.deepEqual(readFilter(new URLSearchParams("from=2026-11-01&to=2026-11-30&provider=acme&model=a%2Fb&job=x")), { from: "2026-11-01", to: "2026-11-30", provider: "acme", model: "a/b" });
    assert.deepEqual(readFilter(new URLSearchParams("from=&provider=")), {});
    assert.deepEqual(readFilter(new URLSearchParams("from=2026-02-30")), { problem: "from: expected a date like 2026-11-01" });
    assert.deepEqual(readFilter(new URLSearchParams("from=2026-11-02&to=2026-11-01")), { problem: "from: the range starts after it ends" });
    assert.equal(filterQuery({ model: "a/b", from: "2026-11-01" }), "from=2026-11-01&model=a%2Fb");
  });

  it("includes the whole of the last day", () => {
    const o = filterAuditOptions({ from: "2026-11-01", to: "2026-11-01" });
    assert.equal(o.sinceMicros, Date.UTC(2026, 10, 1) * 1000);
    assert.equal(o.untilMicros, Date.UTC(2026, 10, 2) * 1000);
    assert.equal(dayMicros("2026-13-01"), undefined);
  });
});

describe("job timelines", () => {
  const attempt = { attempt: 1, provider: "acme", model: "m", request_ids: ["r1"], start: "", outcome: "failed" as const, used: false, duplicate: false, billed: "1", billed_high: "1", charged: true, polls: 0 };
  const charge = { at: "2026-11-01T10:00:05.000Z", micros: Date.UTC(2026, 10, 1, 10, 0, 5) * 1000, type: "charged", attempt: 1, request_id: "r1", facts: [["amount", "1"]] as const };

  it("puts the audit's charges among the stored events, in time order, and drops stored charges", () => {
    const t: JobTimeline = { job: "j", attempts: [{ ...attempt, charges: [charge] }] };
    const stored: StoredEvent[] = storedEvents([
      { ts: "2026-11-01T10:00:09Z", provider: "acme", model: "m", job: "j", attempt: 1, type: "completed", outcome: "failed", error: "other", request_id: "r1" },
      { ts: "2026-11-01T10:00:00Z", provider: "acme", model: "m", job: "j", attempt: 1, type: "submitted", input_hash: "h" },
      { ts: "2026-11-01T10:00:05Z", provider: "acme", request_id: "r1", type: "charged", amount: "1", currency: "USD" },
    ]);
    const events = withEvents(t, stored).events!;
    assert.deepEqual(
      events.map((e) => e.type),
      ["submitted", "charged", "completed"],
    );
    assert.deepEqual(events[2]!.facts, [
      ["outcome", "failed"],
      ["error", "other"],
    ]);
  });

  it("leaves out the middle of a very long timeline and says where", () => {
    const t: JobTimeline = { job: "j", attempts: [{ ...attempt, charges: [] }] };
    const polls = Array.from({ length: 1000 }, (_, i) => ({ ts: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(), provider: "acme", model: "m", job: "j", attempt: 1, type: "polled" }));
    const out = withEvents(t, storedEvents(polls), 10);
    assert.equal(out.events!.length, 10);
    assert.equal(out.omitted, 990);
    assert.equal(out.omittedAt, 5);
    assert.equal(out.events![9]!.at, "2026-11-01T00:16:39.000Z");
  });
});

describe("the page", () => {
  it("embeds data that cannot end its script block", () => {
    const text = scriptSafeJson({ job: "</script><script>alert(1)</script>", s: "\u2028" });
    assert.doesNotMatch(text, /<|\u2028/);
    assert.deepEqual(JSON.parse(text), { job: "</script><script>alert(1)</script>", s: "\u2028" });
  });

  it("allows exactly its own inline script and style by their hashes", () => {
    const page = renderPage({ config: { mode: "static" } }, { script: "console.log(1)", style: "body{}" });
    const hash = (s: string): string => createHash("sha256").update(s).digest("base64");
    assert.ok(page.csp.includes(`script-src 'sha256-${hash("console.log(1)")}'`));
    assert.ok(page.csp.includes(`style-src 'sha256-${hash("body{}")}'`));
    assert.ok(page.html.includes("<script>console.log(1)</script>"));
    assert.throws(() => renderPage({ config: { mode: "static" } }, { script: "'</script>'", style: "" }), /end it early/);
  });
});
