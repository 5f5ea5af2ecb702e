// The guard's cost on the hot path and its recording under load, against the fake provider on
// 127.0.0.1 (no latency, jobs that never end):
//  1. added latency per call: guard.fetch vs a raw fetch, alternating, for creates and polls;
//  2. no event lost at 500 calls/s: creates at a fixed rate, every event counted in the ledger.
//   npm run bench -- guard [--calls 2000] [--rate 500] [--seconds 4] [--http]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoredEvent } from "../../src/core/index.js";
import { FAKE_POLICIES } from "../../src/fake-provider/fake-policies.js";
import { startFakeProvider } from "../../src/fake-provider/server.js";
import { createGuard, type EventSink } from "../../src/guard/index.js";
import type { BenchSection } from "../run.js";

function flag(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** The ledger the guard records into: SQLite in a temp folder where the adapters exist, else a counting sink. */
async function openSink(): Promise<{ sink: EventSink; name: string; count: () => Promise<number>; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "failcost-bench-guard-"));
  try {
    const specifier = "../../src/ledger/open-ledger.js";
    const { openLedger } = (await import(specifier)) as { openLedger: (t: string) => Promise<import("../../src/core/index.js").Ledger> };
    const ledger = await openLedger(join(dir, "bench.db"));
    return { sink: ledger, name: "SQLite ledger", count: async () => (await ledger.stats()).events, close: async () => (await ledger.close(), rmSync(dir, { recursive: true, force: true })) };
  } catch {
    const seen = new Set<string>();
    const sink: EventSink = {
      append(events: readonly StoredEvent[]) {
        for (const e of events) seen.add(JSON.stringify(e.event));
        return Promise.resolve();
      },
    };
    return { sink, name: "in-memory sink (ledger adapters not on this branch)", count: () => Promise.resolve(seen.size), close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
}

const body = (i: number): string => JSON.stringify({ input: { prompt: `bench ${i}` } });

async function overhead(calls: number): Promise<void> {
  const fake = await startFakeProvider({ latencyMs: [0, 0], runSeconds: [3600, 3600] });
  const { sink, name, close } = await openSink();
  const guard = createGuard({ ledger: sink, policies: FAKE_POLICIES, endpoints: fake.endpoints, duplicates: { windowSeconds: 0 } });
  const url = `${fake.urls.replicate}/models/acme/bench/predictions`;
  const init = (i: number): RequestInit => ({ method: "POST", headers: { "content-type": "application/json", authorization: "Bearer r8_bench" }, body: body(i) });
  const raw = { create: [] as number[], poll: [] as number[] };
  const guarded = { create: [] as number[], poll: [] as number[] };
  const time = async (f: () => Promise<Response>): Promise<[number, unknown]> => {
    const t = performance.now();
    const res = await f();
    const json: unknown = await res.json();
    return [performance.now() - t, json];
  };
  for (let i = 0; i < 200; i++) {
    await (await fetch(url, init(-i - 1))).arrayBuffer(); // warm up both paths
    await (await guard.fetch(url, init(-i - 1000))).arrayBuffer();
  }
  for (let i = 0; i < calls; i++) {
    const [a, pa] = await time(() => fetch(url, init(2 * i)));
    const [b, pb] = await time(() => guard.fetch(url, init(2 * i + 1)));
    raw.create.push(a);
    guarded.create.push(b);
    const ida = (pa as { urls: { get: string } }).urls.get;
    const idb = (pb as { urls: { get: string } }).urls.get;
    raw.poll.push((await time(() => fetch(ida)))[0]);
    guarded.poll.push((await time(() => guard.fetch(idb)))[0]);
  }
  // CPU per call of this process (client side and the fake's side together), in blocks, which
  // wall-clock latency on a shared machine hides.
  const cpu = { raw: [] as number[], guard: [] as number[] };
  const block = async (f: typeof fetch, offset: number): Promise<number> => {
    const c = process.cpuUsage();
    for (let i = 0; i < 200; i++) await (await f(url, init(offset + i))).arrayBuffer();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 200;
  };
  for (let k = 0; k < 5; k++) {
    cpu.raw.push(await block(fetch, 10_000_000 + k * 1000));
    cpu.guard.push(await block(guard.fetch, 20_000_000 + k * 1000));
  }
  await guard.close();
  await fake.close();
  await close();
  const [cr, cg] = [quantile(cpu.raw, 0.5), quantile(cpu.guard, 0.5)];
  console.log(`CPU per create (median of 5 blocks of 200; this process, client and fake together): raw ${cr.toFixed(0)} µs, guard ${cg.toFixed(0)} µs, added ${(cg - cr).toFixed(0)} µs\n`);
  console.log(`added latency per call (${calls} calls each, alternating; recording to ${name}):\n`);
  console.log("| request | raw fetch median ms | guard.fetch median ms | added median ms | raw p90 ms | guard p90 ms |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const k of ["create", "poll"] as const) {
    const [r, g] = [quantile(raw[k], 0.5), quantile(guarded[k], 0.5)];
    console.log(`| ${k} | ${r.toFixed(3)} | ${g.toFixed(3)} | ${(g - r).toFixed(3)} | ${quantile(raw[k], 0.9).toFixed(3)} | ${quantile(guarded[k], 0.9).toFixed(3)} |`);
  }
}

async function underLoad(rate: number, seconds: number, http: boolean): Promise<void> {
  const fake = await startFakeProvider({ latencyMs: [0, 0], runSeconds: [3600, 3600] });
  const { sink, name, count, close } = await openSink();
  // In process by default: the fake's answers without sockets, so the rate tests the guard and
  // the ledger rather than loopback HTTP on a shared machine.
  const guard = createGuard({ ledger: sink, policies: FAKE_POLICIES, endpoints: fake.endpoints, ...(http ? {} : { fetch: fake.fetch }) });
  const url = `${fake.urls.replicate}/models/acme/load/predictions`;
  const total = rate * seconds;
  const started = performance.now();
  const calls: Promise<unknown>[] = [];
  let late = 0;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -50) late++;
    calls.push(guard.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: body(i) }).then((r) => r.arrayBuffer()));
  }
  await Promise.all(calls);
  const elapsed = (performance.now() - started) / 1000;
  await guard.close();
  const events = await count();
  await fake.close();
  await close();
  const expected = total * 2; // submitted and created for each call
  console.log(`\nrecording under load (${name}; the fake reached ${http ? "over HTTP" : "in process"}):\n`);
  console.log("| calls | target calls/s | achieved calls/s | events expected | events in the ledger | lost | calls sent > 50 ms late |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  console.log(`| ${total} | ${rate} | ${(total / elapsed).toFixed(0)} | ${expected} | ${events} | ${expected - events} | ${late} |`);
}

export const section: BenchSection = {
  name: "guard: added latency per call, and no event lost at 500 calls/s",
  async run(args) {
    await overhead(Number(flag(args, "calls", "2000")));
    await underLoad(Number(flag(args, "rate", "500")), Number(flag(args, "seconds", "4")), args.includes("--http"));
  },
};
