import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createPriceTable, formatDecimal, parsePolicy } from "../../src/core/index.js";
import { isPolicyError } from "../../src/errors.js";
import { loadPolicies, parsePolicyText } from "../../src/policies/load-policies.js";
import { TEST_POLICY_YAML } from "../support/audit.js";

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isPolicyError(e), String(e));
    return (e as Error).message;
  }
  assert.fail("expected a PolicyError");
}

describe("policies", () => {
  it("reads the spec's example policy", () => {
    const p = parsePolicyText(TEST_POLICY_YAML, "test.yaml");
    assert.equal(p.provider, "test");
    assert.equal(p.bills.timed_out, "unknown");
    assert.deepEqual(p.bills.rejected, { rate_limit: ["per_request"], invalid_input: "unknown", "*": [] });
    assert.equal(p.polls, true);
    assert.equal(formatDecimal(p.prices[0]!.price.per_second!), "0.001");
  });

  it("reads the spec's example policy as written, `polls` under `bills`", () => {
    const spec = [
      "provider: acme              # matches the events' provider",
      "currency: USD",
      "checked: 2026-11-01         # when the sources were read",
      'sources: ["https://docs.acme.example/billing"]',
      'prices:                     # per model glob; the most specific match wins; "*" is the default',
      '  "*":          { per_second: "0.001" }',
      '  "acme/img-*": { per_job: "0.002", per_unit: { image: "0.01" }, max_run_seconds: 60 }',
      "bills:                      # which components each outcome is charged",
      "  succeeded: [per_job, per_second, per_unit, per_request]",
      "  failed:    [per_job, per_second, per_request]",
      "  canceled:  unknown",
      "  timed_out: [per_job, per_second]",
      '  rejected:  { rate_limit: [], invalid_input: unknown, "*": [] }   # by failure type',
      "  polls:     false          # true: each status request costs per_request",
      "min_poll_seconds: 2",
    ].join("\n");
    const p = parsePolicyText(spec, "acme.yaml");
    assert.equal(p.polls, false);
    assert.equal(p.min_poll_seconds, 2);
    assert.equal(parsePolicyText(spec.replace("polls:     false", "polls:     true"), "acme.yaml").polls, true);
    assert.equal(parsePolicyText(`${spec.replace("polls:     false", "polls:     true")}\npolls: true`, "acme.yaml").polls, true);
    assert.match(message(() => parsePolicyText(`${spec}\npolls: true`, "acme.yaml")), /bills\.polls: expected the same answer as the top-level polls/);
  });

  it("names the file, the line, the key and what was expected", () => {
    const yaml = ["provider: acme", "currency: usd", "prices:", '  "*": { per_second: "cheap" }', "bills:", "  succeeded: [per_job, per_minute]", "  rejected: { flaky: [] }", "polls: sometimes", "bils: {}"].join("\n");
    const m = message(() => parsePolicyText(yaml, "acme.yaml"));
    assert.match(m, /acme\.yaml:2: currency: expected an ISO 4217 code like "USD", got "usd"/);
    assert.match(m, /acme\.yaml:4: prices\["\*"\]\.per_second: expected a decimal amount >= 0/);
    assert.match(m, /acme\.yaml:6: bills\.succeeded\[1\]: expected one of per_job, per_second, per_unit, per_request, got "per_minute"/);
    assert.match(m, /acme\.yaml:7: bills\.rejected\.flaky: expected a failure type/);
    assert.match(m, /acme\.yaml:8: polls: expected true, false or "unknown", got "sometimes"/);
    assert.match(m, /acme\.yaml:9: bils: expected one of provider, currency/);
  });

  it("refuses a checked date that does not exist, in the policy and in its evidence", () => {
    const base = ["provider: acme", "currency: USD", 'sources: ["https://docs.acme.example/billing"]', 'prices: { "*": { per_job: "1" } }', "bills: { succeeded: [per_job] }"];
    assert.match(message(() => parsePolicyText([...base, "checked: 2026-02-30"].join("\n"), "acme.yaml")), /acme\.yaml:6: checked: expected a real date like 2026-11-01, got "2026-02-30"/);
    assert.match(message(() => parsePolicyText([...base, 'checked: "2026-13-45"'].join("\n"), "acme.yaml")), /checked: expected a real date/);
    const evidence = [...base, "checked: 2028-02-29", "evidence:", '  bills.succeeded: { source: "https://docs.acme.example/billing", checked: 2026-11-31 }'];
    assert.match(message(() => parsePolicyText(evidence.join("\n"), "acme.yaml")), /evidence\["bills\.succeeded"\]\.checked: expected a real date like 2026-11-01/);
    assert.equal(parsePolicyText([...base, "checked: 2028-02-29"].join("\n"), "acme.yaml").checked, "2028-02-29");
  });

  it("says where YAML itself is broken", () => {
    assert.match(message(() => parsePolicyText("provider: [acme\n", "bad.yaml")), /bad\.yaml:\d+: not valid YAML or JSON/);
  });

  it("accepts JSON and plain numbers that a double holds exactly, refuses ones it does not", () => {
    const ok = parsePolicy({ provider: "a", currency: "USD", prices: { "*": { per_second: 0.000725 } }, bills: { succeeded: ["per_second"] } });
    assert.ok(ok.ok);
    const bad = parsePolicy({ provider: "a", currency: "USD", prices: { "*": { per_second: 0.1234567890123456 } }, bills: {} });
    assert.ok(!bad.ok);
  });

  it("loads a folder and refuses two policies for one provider", async () => {
    const dir = mkdtempSync(join(tmpdir(), "failcost-policy-"));
    writeFileSync(join(dir, "a.yaml"), TEST_POLICY_YAML);
    assert.equal((await loadPolicies([dir])).length, 1);
    writeFileSync(join(dir, "b.json"), JSON.stringify({ provider: "test", currency: "USD", bills: {} }));
    await assert.rejects(loadPolicies([dir]), /a second policy for provider 'test'/);
  });

  it("glob specificity: exact names first, then the most literal characters, then file order", () => {
    const rules = ["*", "a/*", "a/b-*", "a/b-c", "a/?-c"].map((pattern) => ({ pattern, price: {} }));
    const t = createPriceTable(rules);
    assert.equal(t.lookup("a/b-c")!.pattern, "a/b-c");
    assert.equal(t.lookup("a/b-d")!.pattern, "a/b-*");
    assert.equal(t.lookup("a/x-c")!.pattern, "a/?-c");
    assert.equal(t.lookup("a/zzz")!.pattern, "a/*");
    assert.equal(t.lookup("q")!.pattern, "*");
    assert.equal(createPriceTable([{ pattern: "x/*", price: {} }]).lookup("y"), undefined);
  });
});
