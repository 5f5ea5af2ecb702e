import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { get } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startServing } from "../../src/cli/commands/serve.js";
import type { Ledger, Report } from "../../src/core/index.js";
import type { ViewResponse } from "../../src/report/html/view.js";
import { startDashboardServer } from "../../src/server/dashboard-server.js";
import type { ViewStore } from "../../src/server/view-store.js";
import { runCli } from "../support/cli.js";
import { fixtureEvents } from "./fixture.js";
import { startServedLedger, viewReady, type ServedLedger } from "./start-serving.js";

async function viewOf(url: string, known?: string): Promise<ViewResponse> {
  return (await (await fetch(`${url}api/view${known !== undefined ? `?known=${encodeURIComponent(known)}` : ""}`)).json()) as ViewResponse;
}


/** A request with the Host header a DNS-rebinding page would send (fetch may not set Host). */
function statusWithHost(port: string, host: string): Promise<number> {
  return new Promise((resolve, reject) =>
    get({ host: "127.0.0.1", port, path: "/api/view", headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject),
  );
}

async function status(url: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(url, { redirect: "manual", ...init });
  await res.arrayBuffer();
  return res;
}

describe("failcost serve over a real SQLite ledger", () => {
  let dash: ServedLedger;
  // Beside the fixture, an openai job whose second attempt its SDK sent on its own, a second after a 429.
  const sdkRetry = [
    { ts: "2026-11-02T09:00:00Z", provider: "openai", model: "gpt-image-1", job: "job-sdk", attempt: 1, type: "submitted" },
    { ts: "2026-11-02T09:00:00.200Z", provider: "openai", model: "gpt-image-1", job: "job-sdk", attempt: 1, type: "rejected", http_status: 429 },
    { ts: "2026-11-02T09:00:01Z", provider: "openai", model: "gpt-image-1", job: "job-sdk", attempt: 2, type: "submitted" },
    { ts: "2026-11-02T09:00:09Z", provider: "openai", model: "gpt-image-1", job: "job-sdk", attempt: 2, type: "completed", outcome: "succeeded", units: { image: 1 } },
  ];
  before(async () => {
    dash = await startServedLedger([...fixtureEvents(), ...sdkRetry]);
  });
  after(async () => dash?.close());

  it("computes, in a worker thread, exactly the report of `failcost audit --db`", async () => {
    const v = await viewReady(dash.url);
    const audit = await runCli(["audit", "--db", dash.db, "--json", "--no-progress", "--policies", `${dash.dir}/policies`], dash.dir);
    assert.equal(audit.code, 0, audit.stderr);
    const expected = JSON.parse(audit.stdout) as Report;
    assert.deepEqual(v.view!.report, expected);
    assert.equal(expected.by_provider.acme!.billed, "0.1065"); // hand-computed in fixture.ts
    assert.equal(expected.sdk_retries.count, 1);
    assert.deepEqual((await (await fetch(`${dash.url}api/report`)).json()) as Report, expected);
  });

  it("answers `unchanged` to a page that has the current figures", async () => {
    const v = await viewReady(dash.url);
    assert.deepEqual(await viewOf(dash.url, v.stamp), { status: "unchanged", stamp: v.stamp });
  });

  it("stores the view in the ledger and serves it at once after a restart", async () => {
    const before = await viewReady(dash.url);
    await dash.restart();
    // The first answer is current already: nothing had to be computed.
    const first = await viewOf(dash.url);
    assert.equal(first.status, "ready");
    assert.deepEqual(first.view!.report, before.view!.report);
  });

  it("gives a job's timeline from the ledger, with the audit's verdict on each attempt", async () => {
    await viewReady(dash.url);
    const t = (await (await fetch(`${dash.url}api/job?job=job-timeout`)).json()) as { attempts: { used: boolean; cause?: string }[]; events: { type: string }[] };
    assert.deepEqual(
      t.events.map((e) => e.type),
      ["submitted", "created", "polled", "polled", "client_timeout", "completed", "webhook_failed", "submitted", "created", "completed"],
    );
    assert.deepEqual(
      t.attempts.map((a) => a.cause ?? "used"),
      ["timeout", "used"],
    );
    assert.equal((await status(`${dash.url}api/job`)).status, 400);
    assert.equal((await status(`${dash.url}api/view?from=2026-02-30`)).status, 400);
    const page = await fetch(`${dash.url}?from=2026-13-01`);
    assert.equal(page.status, 400);
    assert.match(page.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(await page.text(), /^failcost dashboard: .*\nOpen \/ without that filter/);
  });

  it("answers only to local host names, and only GET", async () => {
    const { port } = new URL(dash.url);
    assert.equal((await status(`http://localhost:${port}/api/view`)).status, 200);
    assert.equal(await statusWithHost(port, `attacker.example:${port}`), 403);
    assert.equal((await status(`${dash.url}api/view`, { method: "POST" })).status, 405);
  });
});

describe("failcost serve with a token", () => {
  it("takes it from the link (then a cookie) or a bearer header, and refuses anything else", async () => {
    const token = "tok-0123456789abcdef";
    const dash = await startServedLedger(undefined, { token });
    try {
      const base = dash.url.replace(/\/$/, "");
      assert.equal((await status(`${base}/api/report`)).status, 401);
      assert.equal((await status(`${base}/?token=nope`)).status, 401);
      const login = await status(`${base}/?provider=acme&token=${token}`);
      assert.equal(login.status, 303);
      assert.equal(login.headers.get("location"), "/?provider=acme");
      const cookie = login.headers.get("set-cookie") ?? "";
      assert.match(cookie, /HttpOnly; SameSite=Strict/);
      assert.equal((await status(`${base}/api/view`, { headers: { cookie: cookie.split(";")[0]! } })).status, 200);
      assert.equal((await status(`${base}/api/view`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
      assert.equal((await status(`${base}/api/view`, { headers: { authorization: "Bearer tok-0123456789abcdeX" } })).status, 401);
    } finally {
      await dash.close();
    }
  });

  it("is required beyond this machine", async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: process.cwd(), env: {} };
    // Both refuse before binding anything.
    await assert.rejects(startDashboardServer({ store: {} as ViewStore, ledger: {} as Ledger, host: "0.0.0.0" }), /needs a token/);
    await assert.rejects(startServing({ token: "short", host: "0.0.0.0" }, io), /at least 16 characters/);
    await assert.rejects(startServing({ port: "70000" }, io), /--port/);
  });

  it("stops again, naming the file, when a policy is bad", async () => {
    const dash = await startServedLedger();
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: dash.dir, env: {} };
    try {
      await writeFile(join(dash.dir, "bad.yaml"), "provider: acme\ncurrency: USD\nbills: { succeeded: [per_nothing] }\n");
      let link = "";
      await assert.rejects(startServing({ db: dash.db, policies: [join(dash.dir, "bad.yaml")], port: "0" }, io, [], (l) => (link = l)), /bad\.yaml/);
      assert.notEqual(link, "");
      await assert.rejects(fetch(link)); // closed again
    } finally {
      await dash.close();
    }
  });

  it("refuses a ledger that is not there rather than creating one", async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: process.cwd(), env: {} };
    await assert.rejects(startServing({ db: "no-such-folder/none.db", port: "0" }, io));
  });
});
