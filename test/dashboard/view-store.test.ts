import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DashboardView, ViewFilter } from "../../src/report/html/view.js";
import { createViewStore, type ViewSnapshots } from "../../src/server/view-store.js";

function fakeView(tag: string, filter: ViewFilter = {}): DashboardView {
  return { source: tag, generated_at: `2026-11-01T00:00:0${tag.length}Z`, filter, report: {} as DashboardView["report"], daily: { days: [], causes: [] }, timelines: [], models: [], extras: {} };
}

function setup(snapshot?: { view: DashboardView; changeCount: number; fingerprint: string }, fingerprint: string | Promise<string> = "fp1") {
  let change = 5;
  const computed: ViewFilter[] = [];
  const written: number[] = [];
  let clock = 0;
  let fail = false;
  const snapshots: ViewSnapshots = {
    read: () => Promise.resolve(snapshot),
    write: (_v, c) => {
      written.push(c);
      return Promise.resolve();
    },
  };
  const store = createViewStore({
    compute: async (filter) => {
      computed.push(filter);
      const n = computed.length;
      await new Promise((r) => setImmediate(r)); // a computation takes a while
      if (fail) throw new Error("the ledger is gone");
      return fakeView(`computed-${n}`, filter);
    },
    changeCount: () => Promise.resolve(change),
    snapshots,
    fingerprint,
    maxFiltered: 2,
    idleMs: 1000,
    now: () => clock,
  });
  return {
    store,
    computed,
    written,
    change: (n: number) => (change = n),
    tick: (ms: number) => (clock += ms),
    fail: (f: boolean) => (fail = f),
  };
}

describe("the dashboard's view store", () => {
  it("serves a current stored view at once, computing nothing", async () => {
    const t = setup({ view: fakeView("stored"), changeCount: 5, fingerprint: "fp1" });
    await t.store.start();
    const s = t.store.ask({});
    assert.equal(s.view?.source, "stored");
    assert.equal(s.current, true);
    await t.store.idle();
    assert.deepEqual(t.computed, []);
  });

  it("serves an old stored view while it recomputes, then the new one, and stores it", async () => {
    const t = setup({ view: fakeView("stored"), changeCount: 3, fingerprint: "fp1" });
    await t.store.start();
    const before = t.store.ask({});
    assert.equal(before.view?.source, "stored");
    assert.equal(before.current, false);
    await t.store.idle();
    const after = t.store.ask({});
    assert.equal(after.view?.source, "computed-1");
    assert.equal(after.current, true);
    assert.notEqual(after.stamp, before.stamp);
    assert.deepEqual(t.written, [5]);
  });

  it("recomputes when the policies or options changed (another fingerprint)", async () => {
    const t = setup({ view: fakeView("stored"), changeCount: 5, fingerprint: "fp0" });
    await t.store.start();
    assert.equal(t.store.ask({}).current, false);
    await t.store.idle();
    assert.equal(t.computed.length, 1);
  });

  it("serves the stored view while the policies are read, and recomputes only if they changed", async () => {
    let policiesRead!: (fp: string) => void;
    const t = setup({ view: fakeView("stored"), changeCount: 5, fingerprint: "fp0" }, new Promise((r) => (policiesRead = r)));
    await t.store.start();
    assert.equal(t.store.ask({}).view?.source, "stored");
    assert.equal(t.store.ask({}).current, true);
    t.store.ask({ provider: "acme" });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.computed, []); // nothing is computed without the policies
    policiesRead("fp1");
    await new Promise((r) => setImmediate(r));
    assert.equal(t.store.ask({}).current, false);
    await t.store.idle();
    assert.deepEqual(t.computed, [{}, { provider: "acme" }]);
  });

  it("recomputes after the ledger changes, and only then", async () => {
    const t = setup();
    await t.store.start();
    await t.store.idle();
    await t.store.refresh();
    await t.store.idle();
    assert.equal(t.computed.length, 1);
    t.change(6);
    await t.store.refresh();
    assert.equal(t.store.ask({}).current, false);
    await t.store.idle();
    assert.equal(t.computed.length, 2);
    assert.equal(t.store.ask({}).current, true);
  });

  it("computes filtered views on demand, keeps a few, and drops idle ones from recomputation", async () => {
    const t = setup();
    await t.store.start();
    await t.store.idle();
    const f = { provider: "acme" };
    assert.equal(t.store.ask(f).view, undefined);
    await t.store.idle();
    assert.deepEqual(t.store.ask(f).view?.filter, f);
    assert.equal(t.computed.length, 2);
    // Two more filters push the first out (maxFiltered 2): asking again computes it again.
    t.tick(10);
    t.store.ask({ model: "a" });
    t.tick(10);
    t.store.ask({ model: "b" });
    await t.store.idle();
    assert.equal(t.store.ask(f).view, undefined);
    await t.store.idle();
    assert.equal(t.computed.length, 5);
    // Nobody asked for model b lately: a change recomputes the whole view and what is watched only.
    t.tick(5000);
    t.store.ask(f);
    t.change(9);
    await t.store.refresh();
    await t.store.idle();
    assert.deepEqual(t.computed.slice(5), [{}, f]);
  });

  it("reports a failed computation and retries only once the ledger changes", async () => {
    const t = setup();
    t.fail(true);
    await t.store.start();
    await t.store.idle();
    assert.equal(t.store.ask({}).error, "the ledger is gone");
    await t.store.refresh();
    await t.store.idle();
    assert.equal(t.computed.length, 1);
    t.fail(false);
    t.change(7);
    await t.store.refresh();
    await t.store.idle();
    assert.equal(t.store.ask({}).error, undefined);
    assert.equal(t.store.ask({}).view?.source, "computed-2");
  });
});
