import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Ledger } from "../../src/core/index.js";
import { FAKE_POLICIES } from "../../src/fake-provider/fake-policies.js";
import type { FakeProvider } from "../../src/fake-provider/server.js";
import { createGuard, type GuardNotice } from "../../src/guard/index.js";
import { fakeProvider } from "./helpers.js";

type OpenLedger = (target: string) => Promise<Ledger>;

/** The ledger adapters, where they are in the build (FAILCOST_LEDGER_MODULE points elsewhere to try another tree's). */
async function adapters(): Promise<{ openLedger: OpenLedger; inTree: boolean } | undefined> {
  const other = process.env.FAILCOST_LEDGER_MODULE;
  const spec = other ?? "../../src/ledger/open-ledger.js";
  try {
    const mod = (await import(spec)) as { openLedger?: OpenLedger };
    return mod.openLedger ? { openLedger: mod.openLedger, inTree: other === undefined } : undefined;
  } catch {
    return undefined;
  }
}

const post = (f: typeof fetch, base: string, i: number) =>
  f(`${base}/models/acme/m/predictions`, { method: "POST", body: JSON.stringify({ input: { prompt: `ledger ${i}` } }) }).then((r) => r.arrayBuffer());

describe("the guard on a real ledger (SQLite)", async () => {
  const found = await adapters();
  let fake: FakeProvider;
  let dir: string;
  before(async () => {
    fake = await fakeProvider({ runSeconds: [3600, 3600], latencyMs: [0, 0] });
    dir = mkdtempSync(join(tmpdir(), "failcost-guard-ledger-"));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loses no event at 500 calls/s", { skip: found ? false : "the ledger adapters are not in this build" }, async () => {
    const ledger = await found!.openLedger(join(dir, "load.db"));
    const guard = createGuard({ ledger, policies: FAKE_POLICIES, endpoints: fake.endpoints, fetch: fake.fetch });
    const start = performance.now();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 500; i++) {
      const wait = start + i * 2 - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      calls.push(post(guard.fetch, fake.urls.replicate, i));
    }
    await Promise.all(calls);
    await guard.close();
    const stats = await ledger.stats();
    assert.equal(stats.events, 1000); // submitted and created, each call
    assert.equal(stats.attempts, 500);
    await ledger.close();
  });

  it("opens a ledger from a target path, and a job key run again continues its attempt numbers", { skip: found?.inTree ? false : "the ledger adapters are not in this build" }, async () => {
    const file = join(dir, "target.db");
    for (let k = 0; k < 2; k++) {
      const guard = createGuard({ ledger: file, policies: FAKE_POLICIES, endpoints: fake.endpoints, fetch: fake.fetch });
      await guard.job("same-key", () => post(guard.fetch, fake.urls.replicate, 1000 + k));
      await guard.close();
    }
    const ledger = await found!.openLedger(file);
    const attempts = (await ledger.jobEvents("same-key")).filter((e) => e.event.type === "submitted").map((e) => (e.event as { attempt: number }).attempt);
    assert.deepEqual(attempts, [1, 2]);
    await ledger.close();
  });

  it("tells onNotice when it upgrades an older ledger it was given as a path", { skip: found?.inTree ? false : "the ledger adapters are not in this build" }, async () => {
    const file = join(dir, "older.db");
    const { default: Database } = await import("better-sqlite3");
    const { migrateSqlite, SQLITE_SCHEMA_VERSION } = await import("../../src/ledger/sqlite/sqlite-migrations.js");
    const old = new Database(file);
    migrateSqlite(old, file, 3);
    old.close();
    const notices: GuardNotice[] = [];
    const guard = createGuard({ ledger: file, policies: FAKE_POLICIES, endpoints: fake.endpoints, fetch: fake.fetch, onNotice: (n) => notices.push(n) });
    await guard.job("upgraded", () => post(guard.fetch, fake.urls.replicate, 2000));
    await guard.close();
    assert.deepEqual(
      notices.filter((n) => n.kind === "ledger_upgrade"),
      [{ kind: "ledger_upgrade", from: 3, to: SQLITE_SCHEMA_VERSION }],
    );
  });
});
