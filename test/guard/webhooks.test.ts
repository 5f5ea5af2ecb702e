import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import Replicate, { validateWebhook } from "replicate";
import type { StoredEvent } from "../../src/core/index.js";
import type { FakeProvider } from "../../src/fake-provider/server.js";
import { createGuard, createLedgerWebhookHandler, signWebhook, verifyWebhook, type Guard } from "../../src/guard/index.js";
import { fakeProvider, quickPolicies } from "./helpers.js";
import { MemorySink } from "./memory-sink.js";

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;

/** Serves `handler` on a loopback port while `use` runs with its URL, then closes it. */
async function serving(handler: Parameters<typeof createServer>[1], use: (url: string) => Promise<void>): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

/** POSTs `payload` to `url` as a Standard Webhooks delivery signed with `secret`. */
function postSigned(url: string, payload: object, secret = SECRET, id = `msg_${Math.random()}`): Promise<Response> {
  const body = JSON.stringify(payload);
  const ts = Math.floor(Date.now() / 1000);
  return fetch(url, { method: "POST", headers: { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signWebhook(secret, id, ts, body) }, body });
}

describe("Standard Webhooks signatures", () => {
  it("signs as Replicate's own client verifies", async () => {
    const body = JSON.stringify({ id: "abc", status: "succeeded" });
    const ts = Math.floor(Date.now() / 1000);
    const signature = signWebhook(SECRET, "msg_1", ts, body);
    assert.equal(await validateWebhook({ id: "msg_1", timestamp: String(ts), body, signature, secret: SECRET }), true);
    assert.equal(await validateWebhook({ id: "msg_1", timestamp: String(ts), body: `${body} `, signature, secret: SECRET }), false);
  });

  it("accepts one matching signature among several, refuses tampering, other secrets and stale timestamps", () => {
    const body = '{"id":"abc"}';
    const now = 1_800_000_000;
    const good = signWebhook(SECRET, "msg_2", now, body);
    const other = signWebhook(`whsec_${randomBytes(24).toString("base64")}`, "msg_2", now, body);
    const h = (signature: string, timestamp = String(now), id = "msg_2") => ({ id, timestamp, signature });
    assert.equal(verifyWebhook(SECRET, h(`${other} ${good}`), body, now), undefined);
    assert.match(verifyWebhook(SECRET, h(other), body, now)!, /no signature matches/);
    assert.match(verifyWebhook(SECRET, h(good), '{"id":"abd"}', now)!, /no signature matches/);
    assert.match(verifyWebhook(SECRET, h(good, String(now), "msg_3"), body, now)!, /no signature matches/);
    assert.match(verifyWebhook(SECRET, h(good), body, now + 301)!, /too old/);
    assert.match(verifyWebhook(SECRET, { id: undefined, timestamp: String(now), signature: good }, body, now)!, /missing/);
  });
});

describe("the webhook receiver", () => {
  let fake: FakeProvider;
  let server: Server;
  let hookUrl: string;
  let guard: Guard;
  const sink = new MemorySink();
  const delivered: string[] = [];

  before(async () => {
    fake = await fakeProvider({ webhookSecret: SECRET, runSeconds: [0.1, 0.1] });
    guard = createGuard({ ledger: sink, policies: quickPolicies(), endpoints: fake.endpoints, onEvent: (e) => void (e.type === "webhook_delivered" && delivered.push(e.request_id!)) });
    server = createServer(guard.webhookHandler({ provider: "replicate", secret: SECRET }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/replicate`;
  });
  after(async () => {
    await guard.close();
    server.close();
    server.closeAllConnections();
    await fake.close();
  });

  it("verifies a delivery, records it and the outcome, and answers later polls from it", async () => {
    const replicate = new Replicate({ auth: "r8_test", baseUrl: fake.urls.replicate, fetch: guard.fetch });
    const p = await guard.job("hooked", () => replicate.predictions.create({ model: "black-forest-labs/flux-dev", input: { prompt: "hooked" }, webhook: hookUrl }));
    for (let i = 0; i < 1500 && !delivered.includes(p.id); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(delivered.includes(p.id), "the webhook did not arrive");
    const pollsBefore = fake.stats.polls;
    const got = await replicate.predictions.get(p.id);
    assert.equal(got.status, "succeeded");
    assert.equal(fake.stats.polls, pollsBefore, "the poll went to the provider");
    assert.equal(guard.stats().pollsAnswered, 1);
    await guard.flush();
    const events = sink.all().filter((e) => e.job === "hooked");
    assert.deepEqual(
      events.map((e) => e.type),
      ["submitted", "created", "webhook_delivered", "completed"],
    );
    assert.equal((events[0] as { webhook?: boolean }).webhook, true);
    assert.equal(guard.stats().webhooks.accepted, 1);
  });

  it("refuses a delivery with a bad signature (401) and records nothing", async () => {
    const before = sink.all().length;
    const body = JSON.stringify({ id: "forged", status: "succeeded" });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(hookUrl, {
      method: "POST",
      headers: { "webhook-id": "msg_forged", "webhook-timestamp": String(ts), "webhook-signature": signWebhook(`whsec_${randomBytes(24).toString("base64")}`, "msg_forged", ts, body) },
      body,
    });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /no signature matches/);
    await guard.flush();
    assert.equal(sink.all().length, before);
    assert.equal(guard.stats().webhooks.refused, 1);
  });

  it("acknowledges a repeated delivery once", async () => {
    const body = JSON.stringify({ id: "unknown-prediction", status: "processing" });
    const ts = Math.floor(Date.now() / 1000);
    const headers = { "webhook-id": "msg_twice", "webhook-timestamp": String(ts), "webhook-signature": signWebhook(SECRET, "msg_twice", ts, body) };
    const first = await fetch(hookUrl, { method: "POST", headers, body });
    assert.equal(first.status, 202);
    const second = await fetch(hookUrl, { method: "POST", headers, body });
    assert.equal(second.status, 200);
    assert.equal(await second.text(), "already received");
    assert.equal(guard.stats().webhooks.unmatched, 1);
  });

  it("will not run without a secret unless told to accept unsigned deliveries", () => {
    assert.throws(() => guard.webhookHandler({ provider: "replicate" }), /secret/);
    assert.doesNotThrow(() => guard.webhookHandler({ provider: "fal", unsigned: true }));
  });
});

describe("the webhook receiver for a process that did not create the jobs (failcost serve)", () => {
  it("finds the attempt by its request id in the ledger and appends the delivery and the outcome", async () => {
    const sink = new MemorySink();
    const now = Date.now();
    const base = { ts: new Date(now - 60_000).toISOString(), provider: "replicate", model: "black-forest-labs/flux-dev", job: "from-the-app", attempt: 2 };
    await sink.append([
      { event: { ...base, type: "submitted", input_hash: "sha256:ab" }, micros: (now - 60_000) * 1000 },
      { event: { ...base, type: "created", request_id: "pred-7" }, micros: (now - 60_000) * 1000 + 1 },
    ]);
    const prediction = (id: string) => ({
      id,
      model: "black-forest-labs/flux-dev",
      version: "v",
      status: "succeeded",
      input: {},
      output: ["https://replicate.delivery/x.png"],
      error: null,
      created_at: new Date(now - 60_000).toISOString(),
      completed_at: new Date().toISOString(),
      metrics: { predict_time: 2.5 },
      urls: { get: `https://api.replicate.com/v1/predictions/${id}` },
    });
    await serving(createLedgerWebhookHandler({ provider: "replicate", secret: SECRET, ledger: sink }), async (url) => {
      assert.equal((await postSigned(url, prediction("pred-7"))).status, 200);
      assert.equal((await postSigned(url, prediction("pred-unknown"))).status, 202);
      assert.equal((await postSigned(url, prediction("pred-7"), `whsec_${randomBytes(24).toString("base64")}`)).status, 401);
      const added = sink.all().filter((e) => e.type === "webhook_delivered" || e.type === "completed");
      assert.deepEqual(
        added.map((e) => [e.type, e.job, e.attempt, e.request_id, "outcome" in e ? e.outcome : undefined, "run_seconds" in e ? e.run_seconds : undefined]),
        [
          ["webhook_delivered", "from-the-app", 2, "pred-7", undefined, undefined],
          ["completed", "from-the-app", 2, "pred-7", "succeeded", 2.5],
        ],
      );
      assert.deepEqual(sink.problems, []);
    });
  });

  it("reads a fal delivery that names its request only in the x-fal-request-id header", async () => {
    const sink = new MemorySink();
    const now = Date.now();
    await sink.append([{ event: { ts: new Date(now - 60_000).toISOString(), provider: "fal", model: "fal-ai/flux/dev", job: "by-header", attempt: 1, type: "created", request_id: "req-h" }, micros: (now - 60_000) * 1000 }]);
    await serving(createLedgerWebhookHandler({ provider: "fal", unsigned: true, ledger: sink }), async (url) => {
      const res = await fetch(url, { method: "POST", headers: { "x-fal-request-id": "req-h" }, body: JSON.stringify({ status: "OK", payload: { images: [{ url: "https://x/y.png" }] } }) });
      assert.equal(res.status, 200, await res.text());
      assert.deepEqual(
        sink.all().filter((e) => e.type === "completed").map((e) => [e.job, e.request_id, "outcome" in e ? e.outcome : undefined]),
        [["by-header", "req-h", "succeeded"]],
      );
    });
  });

  it("keeps one outcome when two deliveries for one request arrive at once", async () => {
    const sink = new MemorySink();
    const now = Date.now();
    const base = { ts: new Date(now - 60_000).toISOString(), provider: "replicate", model: "m", job: "twin", attempt: 1 };
    await sink.append([{ event: { ...base, type: "created", request_id: "pred-8" }, micros: (now - 60_000) * 1000 }]);
    // A slow ledger: each lookup finishes before the other delivery's events are written.
    const slow = { scan: sink.scan.bind(sink), append: async (events: readonly StoredEvent[]) => (await sleep(50), sink.append(events)) };
    const delivery = (status: string) => ({ id: "pred-8", model: "m", version: "v", status, input: {}, output: null, error: status === "failed" ? "boom" : null, metrics: {}, urls: {} });
    await serving(createLedgerWebhookHandler({ provider: "replicate", secret: SECRET, ledger: slow }), async (url) => {
      assert.deepEqual((await Promise.all([postSigned(url, delivery("succeeded"), SECRET, "msg_a"), postSigned(url, delivery("failed"), SECRET, "msg_b")])).map((r) => r.status), [200, 200]);
      assert.equal(sink.all().filter((e) => e.type === "webhook_delivered").length, 2);
      assert.equal(sink.all().filter((e) => e.type === "completed").length, 1);
    });
  });
});
