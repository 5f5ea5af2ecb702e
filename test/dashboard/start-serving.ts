import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startServing, type Serving } from "../../src/cli/commands/serve.js";
import type { ViewResponse } from "../../src/report/html/view.js";
import { runCli } from "../support/cli.js";
import { writeFixture } from "./fixture.js";

/** A test dashboard: `failcost serve` (in this process) over a real SQLite ledger, on 127.0.0.1 port 0. */
export interface ServedLedger {
  readonly url: string;
  readonly dir: string;
  readonly db: string;
  /** Ingests more events with `failcost ingest`, as another process would. */
  ingest(lines: readonly Record<string, unknown>[]): Promise<void>;
  /** Starts another `failcost serve` over the same ledger. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Ingests the fixture's events with the CLI into a fresh ledger (SQLite, or `db`) and serves it. */
export async function startServedLedger(lines?: readonly Record<string, unknown>[], options: { token?: string; db?: string } = {}): Promise<ServedLedger> {
  const f = await writeFixture(lines);
  const db = options.db ?? join(f.dir, "failcost.db");
  const run = await runCli(["ingest", "--db", db, "--no-progress", f.events], f.dir);
  assert.equal(run.code, 0, run.stderr);
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: f.dir, env: {} };
  const flags = { db, policies: [f.policies], port: "0", refresh: "0.3", ...(options.token !== undefined ? { token: options.token } : {}) };
  let serving: Serving = await startServing(flags, io);
  let extra = 0;
  const dash: ServedLedger = {
    get url() {
      return serving.server.url;
    },
    dir: f.dir,
    db,
    async ingest(more) {
      const file = join(f.dir, `more-${++extra}.jsonl`);
      await writeFile(file, more.map((l) => JSON.stringify(l)).join("\n") + "\n");
      const r = await runCli(["ingest", "--db", db, "--no-progress", file], f.dir);
      assert.equal(r.code, 0, r.stderr);
    },
    async restart() {
      await serving.close();
      serving = await startServing(flags, io);
    },
    async close() {
      await serving.close();
      await rm(f.dir, { recursive: true, force: true });
    },
  };
  return dash;
}

/** Waits until the whole view is current (what a page polling `/api/view` would see). */
export async function viewReady(url: string): Promise<ViewResponse> {
  for (let i = 0; i < 600; i++) {
    const v = (await (await fetch(`${url}api/view`)).json()) as ViewResponse;
    if (v.status === "ready") return v;
    if (v.status === "error") throw new Error(v.message);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the view never became ready");
}
