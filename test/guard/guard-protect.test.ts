import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import Replicate from "replicate";
import { addDecimal, formatDecimal, parseDecimal, ZERO } from "../../src/core/index.js";
import { isBudgetExceededError, isDuplicateInputError, isRetryRefusedError } from "../../src/errors.js";
import { decideCreate } from "../../src/fake-provider/fates.js";
import type { FakeProvider } from "../../src/fake-provider/server.js";
import { canonicalJson } from "../../src/guard/input-hash.js";
import { createGuard, type GuardNotice } from "../../src/guard/index.js";
import { fakeProvider, fastClock, quickPolicies } from "./helpers.js";
import { MemorySink } from "./memory-sink.js";

const MODEL = "black-forest-labs/flux-schnell";

function create(f: typeof fetch, base: string, prompt: string): Promise<Response> {
  return f(`${base}/models/${MODEL}/predictions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer r8_test" },
    body: JSON.stringify({ input: { prompt } }),
  });
}

/** A prompt whose first create meets `first` and second meets `second` on this fake. */
function promptWith(fake: FakeProvider, first: string, second: string): string {
  for (let i = 0; i < 10_000; i++) {
    const prompt = `p${i}`;
    const key = `replicate|${MODEL}|${canonicalJson({ prompt })}`;
    const kind = (k: number): string => {
      const f = decideCreate(fake.settings, key, k);
      return f.kind === "reject" ? f.failure : "accept";
    };
    if (kind(0) === first && kind(1) === second) return prompt;
  }
  throw new Error("no such prompt");
}

describe("the guard's protections", () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await fakeProvider({ runSeconds: [5, 5] });
  });
  after(async () => fake.close());

  it("100 concurrent calls cannot overspend a budget: each holds its worst case until it settles", async () => {
    const sink = new MemorySink();
    const guard = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, budget: { perDay: "10.00" } });
    const before = fake.stats.creates;
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => create(guard.fetch, fake.urls.replicate, `budget ${i}`)));
    // Worst case of one attempt under the fake Replicate policy: 600 s × $0.0014 = $0.84;
    // 11 × 0.84 = 9.24 fits in $10.00, a 12th (10.08) would not.
    const sent = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 402);
    assert.equal(sent.length, 11);
    assert.equal(refused.length, 89);
    assert.equal(refused[0]!.headers.get("x-failcost-refused"), "budget");
    assert.equal(fake.stats.creates - before, 11);
    const day = `day:${new Date().toISOString().slice(0, 10)}`;
    assert.deepEqual(guard.budgetUsage(day), { spent: "0", held: "9.24" });
    assert.equal(guard.stats().refused.budget, 89);
    // What the provider will bill for the 11 jobs, run to their end, stays within the budget.
    await guard.close();
    const ids = new Set(sink.ofType("created").map((e) => e.request_id));
    const billed = fake.charges().filter((c) => ids.has(c.request_id)).reduce((sum, c) => addDecimal(sum, parseDecimal(c.amount)!), ZERO);
    assert.equal(formatDecimal(billed), "0.0693"); // 11 jobs × 4.5 s of run (5 s less 10% queued) × $0.0014
  });

  it("100 concurrent jobs through the Replicate SDK: the ones over budget fail with the typed error", async () => {
    const guard = createGuard({ policies: quickPolicies(), endpoints: fake.endpoints, budget: { perDay: "5.00" } });
    const replicate = new Replicate({ auth: "r8_test", baseUrl: fake.urls.replicate, fetch: guard.fetch });
    const before = fake.stats.creates;
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => guard.job(`sdk-budget-${i}`, () => replicate.predictions.create({ model: MODEL, input: { prompt: `sdk budget ${i}` } }))),
    );
    // 5 × 0.84 = 4.20 fits in $5.00, a sixth (5.04) would not.
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(refused.length, 95);
    assert.ok(refused.every((r) => isBudgetExceededError(r.reason) && r.reason.scope === "day"));
    assert.equal(fake.stats.creates - before, 5);
    await guard.close();
  });

  it("settles a finished attempt at its cost, freeing the rest of its worst case", async () => {
    const quick = await fakeProvider();
    try {
      const guard = createGuard({ policies: quickPolicies(), endpoints: quick.endpoints, budget: { perDay: "1.00" }, polling: { minPollSeconds: 0.01 } });
      const replicate = new Replicate({ auth: "r8_test", baseUrl: quick.urls.replicate, fetch: guard.fetch });
      await guard.job("settle", () => replicate.run(MODEL, { input: { prompt: "settle" }, wait: { mode: "poll", interval: 5 } }));
      const job = quick.jobs().find((j) => (j.input as { prompt: string }).prompt === "settle")!;
      const ran = (job.endsAt - job.createdAt) * 0.9;
      const usage = guard.budgetUsage(`day:${new Date().toISOString().slice(0, 10)}`);
      assert.equal(usage.held, "0");
      assert.equal(usage.spent, formatDecimal({ units: BigInt(Math.round(ran)) * 14n, scale: 7 }));
      await guard.close();
    } finally {
      await quick.close();
    }
  });

  it("a per-job budget refuses the attempt that would pass it, and guard.job throws the typed error", async () => {
    const guard = createGuard({ policies: quickPolicies(), endpoints: fake.endpoints, budget: { perJob: "1.00" } });
    const err = await guard
      .job("two-creates", async () => {
        await create(guard.fetch, fake.urls.replicate, "first of two");
        const r = await create(guard.fetch, fake.urls.replicate, "second of two");
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
      })
      .catch((e: unknown) => e);
    assert.ok(isBudgetExceededError(err), String(err));
    assert.equal(err.scope, "job");
    assert.equal(err.used, "0.84");
    await guard.close();
  });

  it("counts what the ledger already holds this month against the budgets", async () => {
    const sink = new MemorySink();
    const now = new Date();
    const ts = now.toISOString();
    const base = { ts, provider: "replicate", model: MODEL, job: "earlier", attempt: 1 };
    await sink.append([
      { event: { ...base, type: "submitted", input_hash: "sha256:aa" }, micros: now.getTime() * 1000 },
      { event: { ...base, type: "created", request_id: "r-earlier" }, micros: now.getTime() * 1000 + 1 },
      { event: { ...base, type: "completed", request_id: "r-earlier", outcome: "succeeded", run_seconds: 500 }, micros: now.getTime() * 1000 + 2 },
    ]);
    // 500 s × $0.0014 = $0.70 already spent; a $0.84 worst case no longer fits in $1.50.
    const guard = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, budget: { perMonth: "1.50" } });
    assert.equal((await create(guard.fetch, fake.urls.replicate, "after earlier spend")).status, 402);
    assert.equal(guard.budgetUsage(`month:${ts.slice(0, 7)}`).spent, "0.7");
    const fresh = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, budget: { perMonth: "1.50", fromLedger: false } });
    assert.equal((await create(fresh.fetch, fake.urls.replicate, "ignoring earlier spend")).status, 201);
    await guard.close();
    await fresh.close();
  });

  it("loads policy files over the shipped policies for its prices", async () => {
    const dir = mkdtempSync(join(tmpdir(), "failcost-guard-policies-"));
    try {
      writeFileSync(
        join(dir, "replicate.yaml"),
        ["provider: replicate", "currency: USD", "prices:", '  "*": { per_second: "0.001", max_run_seconds: 100 }', "bills: { succeeded: [per_second], failed: [per_second], canceled: [per_second], timed_out: [], rejected: [] }", "polls: false", ""].join("\n"),
      );
      const guard = createGuard({ policies: [dir], endpoints: fake.endpoints, budget: { perDay: "0.25" } });
      const statuses = await Promise.all([0, 1, 2, 3, 4].map((i) => create(guard.fetch, fake.urls.replicate, `priced ${i}`).then((r) => r.status)));
      // 100 s × $0.001 = $0.10 held per attempt: two fit in $0.25.
      assert.deepEqual([...statuses].sort(), [201, 201, 402, 402, 402]);
      await guard.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to send when no policy prices the model, unless told to allow it", async () => {
    const notices: GuardNotice[] = [];
    const strict = createGuard({ policies: [], endpoints: fake.endpoints, budget: { perDay: "5" } });
    assert.equal((await create(strict.fetch, fake.urls.replicate, "unpriced")).status, 402);
    const lenient = createGuard({ policies: [], endpoints: fake.endpoints, budget: { perDay: "5", unpriced: "allow" }, onNotice: (n) => notices.push(n) });
    assert.equal((await create(lenient.fetch, fake.urls.replicate, "unpriced ok")).status, 201);
    assert.equal(notices[0]?.kind, "unpriced");
    await strict.close();
    await lenient.close();
  });

  it("joins a second guard.job with a key in flight instead of submitting again", async () => {
    const quick = await fakeProvider();
    try {
      const guard = createGuard({ policies: quickPolicies(), endpoints: quick.endpoints, polling: { minPollSeconds: 0.01 } });
      const replicate = new Replicate({ auth: "r8_test", baseUrl: quick.urls.replicate, fetch: guard.fetch });
      let calls = 0;
      const run = () =>
        guard.job("double-click", () => {
          calls++;
          return replicate.run(MODEL, { input: { prompt: "double click" }, wait: { mode: "poll", interval: 5 } });
        });
      const [a, b] = await Promise.all([run(), run()]);
      assert.equal(a, b);
      assert.equal(calls, 1);
      assert.equal(guard.stats().joined, 1);
      assert.equal(quick.stats.creates, 1);
      await guard.close();
    } finally {
      await quick.close();
    }
  });

  it("flags the same input in another job within the window, or refuses it when configured", async () => {
    const notices: GuardNotice[] = [];
    const flag = createGuard({ policies: quickPolicies(), endpoints: fake.endpoints, onNotice: (n) => notices.push(n) });
    await flag.job("a", () => create(flag.fetch, fake.urls.replicate, "same input"));
    await flag.job("b", () => create(flag.fetch, fake.urls.replicate, "same input"));
    assert.deepEqual(
      notices.map((n) => n.kind === "duplicate_input" && [n.job, n.otherJob]),
      [["b", "a"]],
    );
    const refuse = createGuard({ policies: quickPolicies(), endpoints: fake.endpoints, duplicates: { action: "refuse" } });
    const before = fake.stats.creates;
    await refuse.job("c", () => create(refuse.fetch, fake.urls.replicate, "same input, refused"));
    const err = await refuse
      .job("d", async () => {
        const r = await create(refuse.fetch, fake.urls.replicate, "same input, refused");
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
      })
      .catch((e: unknown) => e);
    assert.ok(isDuplicateInputError(err));
    assert.equal(err.otherJob, "c");
    assert.equal(fake.stats.creates - before, 1);
    await flag.close();
    await refuse.close();
  });

  it("sees two creates of one input sent at the same moment: one goes, the other is refused", async () => {
    const refuse = createGuard({ policies: quickPolicies(), endpoints: fake.endpoints, duplicates: { action: "refuse" } });
    const before = fake.stats.creates;
    const results = await Promise.allSettled(
      ["e", "f"].map((key) =>
        refuse.job(key, async () => {
          const r = await create(refuse.fetch, fake.urls.replicate, "same input, same moment");
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "rejected"],
    );
    const refusal = (results[1] as PromiseRejectedResult).reason as unknown;
    assert.ok(isDuplicateInputError(refusal));
    assert.equal(refusal.otherJob, "e", "the refusal names the job that went, not itself");
    assert.equal(fake.stats.creates - before, 1);
    await refuse.close();
  });
});

describe("retries", () => {
  it("honours Retry-After before retrying a 429, then succeeds", async () => {
    const fake = await fakeProvider({ rates: { rate_limit: 0.5 }, retryAfterSeconds: 7 });
    try {
      const prompt = promptWith(fake, "rate_limit", "accept");
      const clock = fastClock();
      const sink = new MemorySink();
      const guard = createGuard({ ledger: sink, clock, policies: quickPolicies(), endpoints: fake.endpoints });
      const res = await create(guard.fetch, fake.urls.replicate, prompt);
      assert.equal(res.status, 201);
      await guard.close();
      assert.deepEqual(
        sink.all().map((e) => `${e.attempt} ${e.type}`),
        ["1 submitted", "1 rejected", "2 submitted", "2 created"],
      );
      const waited = Math.max(...clock.sleeps);
      assert.ok(waited > 6000 && waited <= 7000, `waited ${waited} ms`);
      assert.equal(guard.stats().retries, 1);
    } finally {
      await fake.close();
    }
  });

  it("does not wait out a Retry-After longer than the policy allows; the SDK's own retries are refused", async () => {
    const fake = await fakeProvider({ rates: { rate_limit: 0.5 }, retryAfterSeconds: 120 });
    try {
      const prompt = promptWith(fake, "rate_limit", "accept");
      const guard = createGuard({ clock: fastClock(), policies: quickPolicies(), endpoints: fake.endpoints });
      const replicate = new Replicate({ auth: "r8_test", baseUrl: fake.urls.replicate, fetch: guard.fetch });
      const err = await guard.job("too-long", () => replicate.run(MODEL, { input: { prompt } })).catch((e: unknown) => e);
      assert.ok(isRetryRefusedError(err), String(err));
      assert.equal(err.why, "retry_after_too_long");
      assert.equal(fake.stats.creates, 1);
      await guard.close();
    } finally {
      await fake.close();
    }
  });

  it("never retries invalid input, and refuses a caller's retry of it", async () => {
    const fake = await fakeProvider({ rates: { invalid_input: 1 } });
    try {
      const guard = createGuard({ clock: fastClock(), policies: quickPolicies(), endpoints: fake.endpoints });
      assert.equal((await create(guard.fetch, fake.urls.replicate, "bad")).status, 422);
      const again = await create(guard.fetch, fake.urls.replicate, "bad");
      assert.equal(again.status, 409);
      assert.equal(again.headers.get("x-should-retry"), "false");
      assert.equal(fake.stats.creates, 1);
      await guard.close();
    } finally {
      await fake.close();
    }
  });

  it("backs off with full jitter: a random share of base · 2^(n−1)", async () => {
    const fake = await fakeProvider({ rates: { unavailable: 1 } });
    try {
      const clock = fastClock();
      const guard = createGuard({ clock, random: () => 0.5, policies: quickPolicies(), endpoints: fake.endpoints, retry: { backoff: { baseMs: 1000, capMs: 1500 } } });
      assert.equal((await create(guard.fetch, fake.urls.replicate, "down")).status, 503);
      assert.equal(fake.stats.creates, 3);
      // Retry 1: 0.5 × 1000; retry 2: 0.5 × min(1500, 2000); less the few ms the failures took.
      assert.equal(clock.sleeps.length, 2);
      assert.ok(clock.sleeps[0]! > 300 && clock.sleeps[0]! <= 500, String(clock.sleeps));
      assert.ok(clock.sleeps[1]! > 550 && clock.sleeps[1]! <= 750, String(clock.sleeps));
      await guard.close();
    } finally {
      await fake.close();
    }
  });

  it("the retry budget stops a retry storm when the provider is down", async () => {
    const fake = await fakeProvider({ rates: { unavailable: 1 } });
    try {
      const guard = createGuard({ clock: fastClock(), policies: quickPolicies(), endpoints: fake.endpoints });
      for (let i = 0; i < 50; i++) assert.equal((await create(guard.fetch, fake.urls.replicate, `storm ${i}`)).status, 503);
      // Tokens start at 10, each failure costs 1, retries stop at 5 or below: the first job
      // makes 3 attempts (10→7), the second 2 (7→5), every other job 1.
      assert.equal(fake.stats.creates, 3 + 2 + 48);
      const unthrottled = createGuard({ clock: fastClock(), policies: quickPolicies(), endpoints: fake.endpoints, retryBudget: { maxTokens: 1e9 } });
      const before = fake.stats.creates;
      for (let i = 0; i < 50; i++) await create(unthrottled.fetch, fake.urls.replicate, `storm b ${i}`);
      assert.equal(fake.stats.creates - before, 150);
      await guard.close();
      await unthrottled.close();
    } finally {
      await fake.close();
    }
  });

  it("records a create that never left (connection refused) as rejected, unavailable, and retries it", async () => {
    const sink = new MemorySink();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const base = `http://127.0.0.1:${port}/replicate/v1`;
    const guard = createGuard({ ledger: sink, clock: fastClock(), policies: quickPolicies(), endpoints: { [base]: "replicate" } });
    await assert.rejects(create(guard.fetch, base, "nowhere"));
    await guard.close();
    assert.deepEqual(
      sink.all().map((e) => `${e.attempt} ${e.type} ${"error" in e ? e.error : ""}`),
      ["1 submitted ", "1 rejected unavailable", "2 submitted ", "2 rejected unavailable", "3 submitted ", "3 rejected unavailable"],
    );
  });

  it("does not resend a create whose response was lost, unless an idempotency key makes it safe", async () => {
    const keys: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      keys.push(req.headers["idempotency-key"] as string | undefined);
      req.resume();
      req.on("end", () => res.destroy());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const sink = new MemorySink();
      const guard = createGuard({ ledger: sink, clock: fastClock(), policies: quickPolicies(), endpoints: { [base]: "replicate" } });
      await assert.rejects(create(guard.fetch, base, "lost"));
      assert.equal(keys.length, 1);
      await guard.flush();
      assert.deepEqual(sink.all().map((e) => e.type), ["submitted"]);
      const again = await create(guard.fetch, base, "lost");
      assert.equal(again.status, 409);
      assert.equal(keys.length, 1);
      await guard.close();

      keys.length = 0;
      const safe = createGuard({ clock: fastClock(), policies: quickPolicies(), endpoints: { [base]: "replicate" }, idempotencyHeaders: { replicate: "Idempotency-Key" } });
      await assert.rejects(create(safe.fetch, base, "lost but keyed"));
      assert.equal(keys.length, 3);
      assert.ok(keys[0] !== undefined && keys.every((k) => k === keys[0]), String(keys));
      await safe.close();
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
