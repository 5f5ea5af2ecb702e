import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addDecimal, CAUSES, formatDecimal, parseDecimal, ZERO } from "../../src/core/index.js";
import { demoJson } from "../../src/fake-provider/demo/render-demo.js";
import { runDemo } from "../../src/fake-provider/demo/run-demo.js";
import { runCli } from "../support/cli.js";

describe("failcost demo", () => {
  it("repeats exactly under a seed, and the guard wastes less than the naive client", async () => {
    const a = demoJson(await runDemo({ seed: 7, jobs: 30 }));
    const b = demoJson(await runDemo({ seed: 7, jobs: 30 }));
    assert.deepEqual(a, b);
    const naive = a.naive as { waste: string; billed: string; waste_by_cause: Record<string, string>; attempts: number };
    const guarded = a.guarded as { waste: string; waste_by_cause: Record<string, string>; attempts: number };
    assert.ok(Number(guarded.waste) < Number(naive.waste), `${guarded.waste} vs ${naive.waste}`);
    assert.ok(guarded.attempts < naive.attempts);
    assert.equal(guarded.waste_by_cause.duplicate_submission, "0");
    // Causes add up to the waste exactly, on both sides.
    for (const side of [naive, guarded]) {
      const sum = CAUSES.reduce((s, c) => addDecimal(s, parseDecimal(side.waste_by_cause[c]!)!), ZERO);
      assert.equal(formatDecimal(sum), side.waste);
    }
    const saved = a.saved as Record<string, string>;
    assert.equal(formatDecimal(addDecimal(parseDecimal(guarded.waste)!, parseDecimal(saved.waste!)!)), naive.waste);
  });

  it("over real sockets (--http) gives the same money as in process, and repeats exactly", async () => {
    type Side = { billed: string; waste: string; polls: number };
    const inProcess = demoJson(await runDemo({ seed: 7, jobs: 30 })) as Record<string, Side>;
    const http = demoJson(await runDemo({ seed: 7, jobs: 30, http: true })) as Record<string, Side>;
    const again = demoJson(await runDemo({ seed: 7, jobs: 30, http: true })) as Record<string, Side>;
    assert.deepEqual(http, again);
    for (const side of ["naive", "guarded"]) {
      assert.equal(http[side]!.billed, inProcess[side]!.billed);
      assert.equal(http[side]!.waste, inProcess[side]!.waste);
      // Polls interleave differently over sockets: close, not always equal.
      assert.ok(Math.abs(http[side]!.polls - inProcess[side]!.polls) <= inProcess[side]!.polls * 0.02, `${http[side]!.polls} vs ${inProcess[side]!.polls}`);
    }
  });

  it("prints both audits side by side, or JSON", async () => {
    const text = await runCli(["demo", "--jobs", "12", "--seed", "3"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /naive client\s+with the guard\s+saved/);
    assert.match(text.stdout, /waste by cause/);
    assert.match(text.stdout, /What the guard did/);
    const json = await runCli(["demo", "--jobs", "12", "--seed", "3", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.jobs, 12);
    assert.equal(parsed.currency, "USD");
    assert.equal((await runCli(["demo", "--jobs", "0"])).code, 2);
  });
});
