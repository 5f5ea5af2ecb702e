// failcost serve --webhook replicate: signed deliveries land in the ledger beside the dashboard.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startServing } from "../../src/cli/commands/serve.js";
import { signWebhook } from "../../src/guard/index.js";
import { runCli } from "../support/cli.js";

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;

describe("failcost serve --webhook", () => {
  it("verifies Replicate's signature and records the delivery and the outcome in the ledger", async () => {
    const dir = mkdtempSync(join(tmpdir(), "failcost-serve-webhook-"));
    const now = Date.now();
    const base = { provider: "replicate", model: "black-forest-labs/flux-dev", job: "hero", attempt: 1 };
    const lines = [
      { ...base, ts: new Date(now - 60_000).toISOString(), type: "submitted", input_hash: "h" },
      { ...base, ts: new Date(now - 59_000).toISOString(), type: "created", request_id: "pred-9" },
      { ...base, job: "twin", ts: new Date(now - 58_000).toISOString(), type: "created", request_id: "pred-11" },
    ];
    writeFileSync(join(dir, "events.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const db = join(dir, "failcost.db");
    assert.equal((await runCli(["ingest", "--db", db, "--no-progress", join(dir, "events.jsonl")], dir)).code, 0);
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: dir, env: { FAILCOST_WEBHOOK_SECRET_REPLICATE: SECRET } };
    const serving = await startServing({ db, port: "0", refresh: "0.3", webhook: ["replicate"] }, io);
    try {
      const body = JSON.stringify({ id: "pred-9", model: base.model, version: "v", status: "succeeded", input: {}, output: ["https://x/y.png"], error: null, metrics: { predict_time: 3.5 }, urls: {} });
      const ts = Math.floor(Date.now() / 1000);
      const post = (signature: string) =>
        fetch(new URL("webhooks/replicate", serving.server.url), { method: "POST", headers: { "webhook-id": "msg_9", "webhook-timestamp": String(ts), "webhook-signature": signature }, body });
      assert.equal((await post(signWebhook(`whsec_${randomBytes(24).toString("base64")}`, "msg_9", ts, body))).status, 401);
      assert.equal((await post(signWebhook(SECRET, "msg_9", ts, body))).status, 200);
      // A later delivery saying otherwise is recorded as a delivery; the first outcome stays.
      const other = body.replace('"status":"succeeded"', '"status":"failed"');
      const again = await fetch(new URL("webhooks/replicate", serving.server.url), { method: "POST", headers: { "webhook-id": "msg_10", "webhook-timestamp": String(ts), "webhook-signature": signWebhook(SECRET, "msg_10", ts, other) }, body: other });
      assert.equal(again.status, 200);
      // Two deliveries for one prediction at the same moment, saying different things: one outcome.
      const twin = (status: string, id: string) => {
        const b = body.replace('"id":"pred-9"', '"id":"pred-11"').replace('"status":"succeeded"', `"status":"${status}"`);
        return fetch(new URL("webhooks/replicate", serving.server.url), { method: "POST", headers: { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signWebhook(SECRET, id, ts, b) }, body: b });
      };
      assert.deepEqual((await Promise.all([twin("succeeded", "msg_11"), twin("failed", "msg_12")])).map((r) => r.status), [200, 200]);
    } finally {
      await serving.close();
    }
    const exported = await runCli(["export", "events", "--db", db], dir);
    const events = exported.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; outcome?: string; run_seconds?: number });
    const ofTwin = events.filter((e) => (e as { job?: string }).job === "twin");
    assert.equal(ofTwin.filter((e) => e.type === "webhook_delivered").length, 2);
    assert.equal(ofTwin.filter((e) => e.type === "completed").length, 1, "the first outcome is kept, the other is a delivery only");
    assert.deepEqual(
      events.filter((e) => (e as { job?: string }).job === "hero" && (e.type === "webhook_delivered" || e.type === "completed")).map((e) => [e.type, e.outcome, e.run_seconds]),
      [
        ["webhook_delivered", undefined, undefined],
        ["completed", "succeeded", 3.5],
        ["webhook_delivered", undefined, undefined],
      ],
    );
  });

  it("refuses a webhook provider without a secret in the environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "failcost-serve-webhook-"));
    const r = await runCli(["serve", "--db", join(dir, "none.db"), "--webhook", "replicate"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /set FAILCOST_WEBHOOK_SECRET_REPLICATE/);
    const unknown = await runCli(["serve", "--db", join(dir, "none.db"), "--webhook", "nope"], dir, { FAILCOST_WEBHOOK_SECRET_NOPE: "whsec_x" });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--webhook "nope": failcost cannot read that provider's webhooks/);
  });
});
