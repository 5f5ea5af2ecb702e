import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, describe, it } from "node:test";
import { loadShippedPolicies, SHIPPED_PROVIDERS, shippedPolicyDir } from "../../src/providers/shipped-policies.js";
import { buildPolicyCache } from "../../scripts/build-policy-cache.js";
import { parsePolicy } from "../../src/core/index.js";
import { CHECKLIST_QUESTIONS } from "../../src/providers/checklist.js";
import { runCli } from "../support/cli.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("shipped policies", () => {
  it("load for every provider, each answer with a source or unknown", async () => {
    const policies = await loadShippedPolicies();
    assert.deepEqual(policies.map((p) => p.provider).sort(), [...SHIPPED_PROVIDERS].sort());
    for (const p of policies) {
      assert.match(p.checked ?? "", /^\d{4}-\d{2}-\d{2}$/, p.provider);
      const answers: [string, unknown][] = [
        ["bills.failed", p.bills.failed],
        ["bills.canceled", p.bills.canceled],
        ["bills.timed_out", p.bills.timed_out],
        ["polls", p.polls],
        ["free_retries", p.free_retries],
        ["backoff", p.backoff],
        ...Object.entries(p.bills.failed_by_type ?? {}).map(([t, a]) => [`bills.failed.${t}`, a] as [string, unknown]),
        ...Object.entries(p.bills.rejected).map(([t, a]) => [`bills.rejected.${t}`, a] as [string, unknown]),
      ];
      for (const [path, a] of answers) {
        if (a === "unknown") continue;
        // A known answer needs a source: its own, or (by failure type) the outcome's.
        const e = p.evidence?.[path] ?? p.evidence?.[path.split(".").slice(0, 2).join(".")];
        assert.ok(e?.source.startsWith("https://"), `${p.provider} ${path} = ${JSON.stringify(a)} has no source`);
        assert.ok(e?.checked, `${p.provider} ${path} has no date checked`);
      }
      assert.ok(p.prices_from_user === true || p.prices.length > 0, `${p.provider}: prices come from a source or from the user`);
    }
  });

  it("come from the build's cache exactly as from their YAML, and from the YAML where the text changed since", async () => {
    const dir = mkdtempSync(join(tmpdir(), "failcost-cache-"));
    const fromYaml = await loadShippedPolicies(pathToFileURL(join(dir, "none.json")));
    const cache = await buildPolicyCache();
    const file = join(dir, "cache.json");
    writeFileSync(file, JSON.stringify(cache));
    assert.deepEqual(await loadShippedPolicies(pathToFileURL(file)), fromYaml);
    // The cache is what is read while the text hashes the same...
    const marked = Object.fromEntries(Object.entries(cache).map(([p, c]) => [p, { ...c, data: { ...(c.data as object), notes: "from the cache" } }]));
    writeFileSync(file, JSON.stringify(marked));
    assert.ok((await loadShippedPolicies(pathToFileURL(file))).every((p) => p.notes === "from the cache"));
    // ...and not once it does not.
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(marked).map(([p, c]) => [p, { ...c, sha256: "0".repeat(64) }]))));
    assert.deepEqual(await loadShippedPolicies(pathToFileURL(file)), fromYaml);
    rmSync(dir, { recursive: true, force: true });
  });

  it("resolve from src/providers and from dist/providers alike", () => {
    const fromSrc = shippedPolicyDir(pathToFileURL(join(ROOT, "src", "providers", "shipped-policies.ts")).href);
    const fromDist = shippedPolicyDir(pathToFileURL(join(ROOT, "dist", "providers", "shipped-policies.js")).href);
    assert.equal(fromSrc, fromDist);
    assert.equal(fromSrc, `${join(ROOT, "src", "providers")}/`);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    assert.ok(pkg.files.includes("src/providers/*/policy.yaml"));
  });
});

describe("the checklist keys a policy may add", () => {
  it("are checked like every other key", () => {
    const r = parsePolicy({ provider: "acme", currency: "USD", bills: { failed: { teapot: [] } }, free_retries: "maybe", backoff: 3, prices_from_user: "yes" });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => i.key),
      ["bills.failed.teapot", "free_retries", "backoff", "prices_from_user"],
    );
    const ok = parsePolicy({ provider: "acme", currency: "USD", bills: { failed: { invalid_input: [] } }, free_retries: false, backoff: "unknown", prices_from_user: true });
    assert.ok(ok.ok);
    assert.equal(ok.policy.bills.failed, "unknown");
    assert.deepEqual(ok.policy.bills.failed_by_type, { invalid_input: [] });
    assert.equal(ok.policy.free_retries, false);
    assert.equal(ok.policy.prices_from_user, true);
  });
});

describe("failcost policies", () => {
  const tmp = mkdtempSync(join(tmpdir(), "failcost-policies-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("prints the checklist: providers × questions, footnoted sources, missing prices", async () => {
    const r = await runCli(["policies"], tmp);
    assert.equal(r.code, 0, r.stderr);
    for (const q of CHECKLIST_QUESTIONS) assert.ok(r.stdout.includes(q.question), q.question);
    for (const p of SHIPPED_PROVIDERS) assert.match(r.stdout, new RegExp(`^${p} `, "m"));
    assert.match(r.stdout, /^luma\s+no \[\d+\]\s+unknown\s+unknown\s+varies \[\d+\]/m);
    assert.match(r.stdout, /^replicate\s+unknown\s+yes \[\d+\]\s+no \[\d+\]/m);
    assert.match(r.stdout, /\[\d+\] https:\/\/docs\.lumalabs\.ai\/docs\/faq \(checked 2026-11-26\)/);
    assert.match(r.stdout, /Prices missing .*: .*replicate/);
  });

  it("prints JSON beside the table", async () => {
    const r = await runCli(["policies", "--json"], tmp);
    const out = JSON.parse(r.stdout) as { providers: { provider: string; answers: Record<string, { answer: string }> }[] };
    const fal = out.providers.find((p) => p.provider === "fal")!;
    assert.equal(fal.answers.failed!.answer, "varies");
    assert.equal(fal.answers.free_retries!.answer, "yes");
    assert.equal(fal.answers.prices!.answer, "missing");
  });

  it("shows one provider: answers, sources, dates, quotes and the SDK warning", async () => {
    const r = await runCli(["policies", "show", "replicate"], tmp);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Are cancelled jobs billed\?\n {2}yes \(per_second\)\n {2}source: https:\/\/replicate\.com\/docs\/topics\/predictions\/lifecycle \(checked 2026-11-26\)/);
    assert.match(r.stdout, /Does the provider charge for failed requests\?\n {2}unknown \(no source says\)/);
    assert.match(r.stdout, /Warning: replicate \(JS\) 1\.4\.0 retries a create request up to 5 times on 429 and on connection errors/);
    assert.match(r.stdout, /Prices must come from you/);
    const yaml = await runCli(["policies", "show", "replicate", "--yaml"], tmp);
    assert.match(yaml.stdout, /^provider: replicate$/m);
    assert.equal((await runCli(["policies", "show", "acme"], tmp)).code, 2);
  });

  it("show --yaml works as `> policies/P.yaml` (the shell empties that file first)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "failcost-yaml-"));
    mkdirSync(join(dir, "policies"));
    writeFileSync(join(dir, "policies", "replicate.yaml"), "");
    const r = await runCli(["policies", "show", "replicate", "--yaml"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^provider: replicate$/m);
    assert.match(r.stderr, /showing the policy failcost ships/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets a user's file override the shipped policy for its provider", async () => {
    mkdirSync(join(tmp, "policies"), { recursive: true });
    writeFileSync(
      join(tmp, "policies", "replicate.yaml"),
      'provider: replicate\ncurrency: USD\nprices:\n  "*": { per_second: "0.001" }\nbills:\n  succeeded: [per_second]\n  failed: [per_second]\n  canceled: [per_second]\n  timed_out: []\n  rejected: []\npolls: false\n',
    );
    const r = await runCli(["policies"], tmp);
    assert.match(r.stdout, /^replicate \(yours\)\s+yes\s+yes\s+no\s+no\s+no/m);
    assert.match(r.stdout, /^fal\s+varies/m);
    rmSync(join(tmp, "policies"), { recursive: true });
  });

  it("checks a valid file, saying what it replaces", async () => {
    const file = join(tmp, "ok.yaml");
    writeFileSync(file, "provider: fal\ncurrency: USD\nprices:\n  \"fal-ai/flux/*\": { per_unit: { billable_unit: \"0.025\" } }\nbills:\n  succeeded: [per_unit]\n  failed: { unavailable: [], \"*\": unknown }\n");
    const r = await runCli(["policies", "check", "ok.yaml"], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ok\.yaml: a valid policy for 'fal'/);
    assert.match(r.stdout, /replaces the policy failcost ships for 'fal' whole/);
    assert.match(r.stdout, /no "\*" default/);
    // Spec §3: a policy names its sources and the date they were checked; a file without is valid, with a note.
    assert.match(r.stdout, /names no sources/);
    assert.match(r.stdout, /no `checked:` date/);
    writeFileSync(file, `checked: 2026-11-01\nsources: ["https://fal.ai/pricing"]\n${"provider: fal\ncurrency: USD\nbills:\n  succeeded: [per_unit]\n"}`);
    const sourced = await runCli(["policies", "check", "ok.yaml"], tmp);
    assert.doesNotMatch(sourced.stdout, /names no sources|checked:` date/);
  });

  it("rejects an invalid file with its file, line and key, exit 2", async () => {
    writeFileSync(join(tmp, "bad.yaml"), 'provider: replicate\ncurrency: USD\nprices:\n  "*": { per_second: "-1" }\nbills:\n  failed: [per_minute]\n  rejected: { teapot: [] }\n');
    const r = await runCli(["policies", "check", "bad.yaml"], tmp);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:4: prices\["\*"\]\.per_second: expected a decimal amount >= 0/);
    assert.match(r.stderr, /bad\.yaml:6: bills\.failed\[0\]: expected one of per_job, per_second, per_unit, per_request/);
    assert.match(r.stderr, /bad\.yaml:7: bills\.rejected\.teapot: expected a failure type/);
    const j = await runCli(["policies", "check", "bad.yaml", "--json"], tmp);
    assert.equal(j.code, 2);
    const out = JSON.parse(j.stdout) as { ok: boolean; issues: { line: number; key: string }[] };
    assert.equal(out.ok, false);
    assert.deepEqual(
      out.issues.map((i) => [i.line, i.key]),
      [
        [4, 'prices["*"].per_second'],
        [6, "bills.failed[0]"],
        [7, "bills.rejected.teapot"],
      ],
    );
  });
});
