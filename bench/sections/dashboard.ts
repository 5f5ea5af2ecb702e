// The dashboard on a big ledger: the time to the first screen from the stored view (the issue
// asks < 1 s for 10M events), the background recomputation, and how long an ingested event takes
// to reach an open page. Runs the built CLI (`failcost serve`) as a separate process, and
// chromium (when installed) for the first screen as a person sees it.
//   npm run bench -- dashboard [--dashboard-events 10000000] [--runs 3]
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BenchSection } from "../run.js";
import { syntheticLog } from "./audit.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = `${root}bin/failcost.js`;

function flag(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/** Starts `failcost serve` on a free port; resolves with its URL once it listens. */
function startServe(db: string): Promise<{ child: ChildProcess; url: string; started: bigint; listening: number }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [cli, "serve", "--db", db, "--port", "0", "--refresh", "1", "--policies", "examples/policies"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/\S+\//.exec(out);
      if (m) resolve({ child, url: m[0], started, listening: ms(started) });
    });
    child.once("exit", (code) => reject(new Error(`failcost serve exited (${code})`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await gone;
}

async function view(url: string, known?: string): Promise<{ status: string; stamp?: string; latency: number }> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}api/view${known !== undefined ? `?known=${encodeURIComponent(known)}` : ""}`);
  const body = (await res.json()) as { status: string; stamp?: string };
  return { ...body, latency: ms(t0) };
}

/** Polls until the whole view is current and differs from `known`; the slowest answer meanwhile says whether the server stayed responsive. */
async function waitReady(url: string, known?: string): Promise<{ stamp: string; slowestMs: number }> {
  let slowest = 0;
  for (;;) {
    const v = await view(url, known);
    slowest = Math.max(slowest, v.latency);
    if (v.status !== "computing" && v.stamp !== undefined && v.stamp !== known) return { stamp: v.stamp, slowestMs: slowest };
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const section: BenchSection = {
  name: "dashboard: first screen of a big ledger, background recomputation, live updates",
  async run(args) {
    if (!existsSync(`${root}dist/report/html/assets/client.js`)) throw new Error("build first: npm run build");
    const n = Number(flag(args, "dashboard-events", "10000000"));
    const runs = Number(flag(args, "runs", "3"));
    const log = await syntheticLog(n);
    const db = `${root}bench/out/dashboard-${n}.db`;
    if (!existsSync(db)) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, "ingest", "--db", db, "--no-progress", log], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
      if (r.status !== 0) throw new Error("ingest failed");
      console.log(`ingested ${n.toLocaleString("en-US")} events into ${db.slice(root.length)} in ${(ms(t0) / 1000).toFixed(1)} s`);
    }
    // A recomputation from nothing: an unreadable stored view counts as none.
    {
      const { openLedger } = await import("../../src/ledger/open-ledger.js");
      const ledger = await openLedger(db, { create: false });
      await ledger.writeSnapshot("dashboard.view", "");
      await ledger.close();
    }
    const first = await startServe(db);
    const t0 = process.hrtime.bigint();
    const computed = await waitReady(first.url);
    const computeMs = ms(t0);
    // An ingested event reaches the page: one more job, then wait for new figures.
    const extra = `${root}bench/out/dashboard-extra-${Date.now()}.jsonl`;
    writeFileSync(extra, `${JSON.stringify({ ts: "2026-12-31T00:00:00Z", provider: "acme", model: "acme/img-fast", job: `bench-live-${Date.now()}`, attempt: 1, type: "submitted" })}\n`);
    const t1 = process.hrtime.bigint();
    spawnSync(process.execPath, [cli, "ingest", "--db", db, "--no-progress", extra], { cwd: root, stdio: "ignore" });
    const updated = await waitReady(first.url, computed.stamp);
    const liveMs = ms(t1);
    rmSync(extra);
    await stop(first.child);

    // Cold starts with the stored view: the first screen.
    let browser: import("playwright-core").Browser | undefined;
    if (existsSync("/usr/bin/chromium")) {
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
    }
    const listen: number[] = [];
    const page: number[] = [];
    const screen: number[] = [];
    const figuresAt: number[] = [];
    let bytes = 0;
    for (let k = 0; k < runs; k++) {
      const s = await startServe(db);
      listen.push(s.listening);
      const t2 = process.hrtime.bigint();
      const html = await (await fetch(s.url)).text();
      page.push(ms(t2));
      bytes = html.length;
      if (browser) {
        const p = await browser.newPage();
        await p.goto("about:blank"); // the page's renderer is up before the clock starts
        // The page's own clock (ms from the start of navigation) when the figures, then the chart, are there.
        await p.addInitScript(`new MutationObserver((_, o) => {
          const t = (window.__seen ??= {});
          if (!t.figures && document.querySelector('[data-figure="billed"]')) t.figures = performance.now();
          if (!t.chart && document.querySelector(".uplot canvas")) { t.chart = performance.now(); o.disconnect(); }
        }).observe(document, { childList: true, subtree: true });`);
        await p.goto(s.url);
        await p.waitForSelector(".uplot canvas");
        const seen = await p.evaluate<{ figures: number; chart: number }>("window.__seen");
        figuresAt.push(seen.figures);
        screen.push(seen.chart);
        await p.close();
      }
      await stop(s.child);
    }
    await browser?.close();
    const f = (x: number): string => `${x.toFixed(0)} ms`;
    console.log(`| ledger events | serve start → listening | GET / (${(bytes / 1024).toFixed(0)} KB page) | chromium: navigation → figures in the page | navigation → chart drawn (first screen) |`);
    console.log("| --- | --- | --- | --- | --- |");
    const shown = (xs: number[]): string => (xs.length > 0 ? f(median(xs)) : "no chromium");
    console.log(`| ${n.toLocaleString("en-US")} | ${f(median(listen))} | ${f(median(page))} | ${shown(figuresAt)} | ${shown(screen)} |`);
    console.log("");
    console.log(`- whole view computed in the background (worker thread): ${(computeMs / 1000).toFixed(1)} s; slowest /api/view answer meanwhile ${f(computed.slowestMs)}`);
    console.log(`- an ingested event on the open dashboard after ${(liveMs / 1000).toFixed(1)} s (ingest + change noticed + recomputation); slowest answer meanwhile ${f(updated.slowestMs)}`);
    console.log(`- medians of ${runs} cold starts; the first screen is served from the view stored in the ledger`);
  },
};
