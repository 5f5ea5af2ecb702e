import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { Report } from "../../src/core/index.js";
import type { PageData } from "../../src/report/html/view.js";
import { runCli } from "../support/cli.js";
import { figures, launchBrowser, watchPage } from "./browser.js";
import { HOSTILE, writeFixture } from "./fixture.js";

async function auditToHtml(): Promise<{ dir: string; html: string; report: Report }> {
  const f = await writeFixture();
  const run = await runCli(["audit", "events.jsonl", "--json", "--html", "report.html", "--no-progress"], f.dir);
  assert.equal(run.code, 0, run.stderr);
  return { dir: f.dir, html: join(f.dir, "report.html"), report: JSON.parse(run.stdout) as Report };
}

describe("failcost audit --html", () => {
  let browser: Browser;
  let made: Awaited<ReturnType<typeof auditToHtml>>;
  let page: Page;
  let complaints: string[];

  before(async () => {
    made = await auditToHtml();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (made) await rm(made.dir, { recursive: true, force: true });
  });

  const open = async (query = "", colorScheme: "light" | "dark" = "light"): Promise<void> => {
    page = await browser.newPage({ colorScheme });
    complaints = watchPage(page);
    await page.goto(`${pathToFileURL(made.html).href}${query}`);
    await page.waitForSelector(".uplot");
  };

  it("is one file that needs no network: inline script and style, a strict CSP", async () => {
    const html = await readFile(made.html, "utf8");
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/[^"'\s]*\.(js|css)\b/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[^']+'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it("shows the report's exact figures, equal to the JSON report and to the hand-computed ones", async () => {
    const r = made.report;
    // Hand-computed in fixture.ts.
    assert.deepEqual([r.billed, r.useful, r.waste, r.range.billed_high, r.range.waste_high], ["0.1065", "0.0605", "0.046", "0.1085", "0.048"]);
    await open();
    const f = await figures(page);
    assert.equal(f.get("billed"), "0.1065");
    assert.equal(f.get("useful"), r.useful);
    assert.equal(f.get("waste"), r.waste);
    assert.equal(f.get("billed_high"), r.range.billed_high);
    assert.equal(f.get("waste_high"), r.range.waste_high);
    assert.equal(await page.locator('[data-figure="billed"]').textContent(), "$0.1065");
    for (const [cause, v] of Object.entries(r.waste_by_cause)) assert.equal(f.get(`cause:${cause}`) ?? "0", v, cause);
    for (const [name, b] of Object.entries(r.by_provider)) for (const k of ["billed", "useful", "waste"] as const) assert.equal(f.get(`provider:${name}:${k}`), b[k], `${name} ${k}`);
    for (const [name, b] of Object.entries(r.by_model)) assert.equal(f.get(`model:${name}:waste`), b.waste, name);
    for (const [key, p] of Object.entries(r.patterns)) assert.equal(f.get(`pattern:${key}`), p.cost, key);
    assert.equal(f.get("unknown:acme:bills.canceled"), "0.002");
    r.top_jobs.forEach((j, i) => assert.equal(f.get(`job:${i}:waste`), j.waste, j.job));
    // Waste by cause for each day (hand-computed): the duplicate and the failure on day 1, the timeout and the 20 s failure on day 2.
    assert.equal(f.get("day:2026-11-01:duplicate_submission"), "0.012");
    assert.equal(f.get("day:2026-11-01:unavailable"), "0.002");
    assert.equal(f.get("day:2026-11-02:timeout"), "0.012");
    assert.equal(f.get("day:2026-11-02:other"), "0.02");
    assert.equal(f.get("day:2026-11-02:duplicate_submission"), "0");
    assert.deepEqual(complaints, []);
  });

  it("shows job ids, model and provider names and messages with markup as text, and runs none of it", async () => {
    await open();
    await page.locator("button.job", { hasText: "onerror" }).click();
    await page.waitForSelector("#timeline table.events");
    await page.evaluate(() => document.querySelectorAll("*").forEach((e) => e.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }))));
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    assert.equal(await page.locator("img, i, #app script").count(), 0);
    assert.equal(await page.locator('[data-figure="timeline-job"]').textContent(), HOSTILE.job);
    assert.equal(await page.locator("#jobs tbody tr", { hasText: "job-model" }).locator("td").first().textContent(), HOSTILE.model);
    assert.ok((await page.locator("#problems li").first().textContent())!.includes(HOSTILE.provider));
    // The CSP itself stops a script that gets in: a new inline script does not run.
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__pwned = 'csp'";
      document.body.appendChild(s);
    });
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    assert.ok(complaints.some((c) => c.includes("Content Security Policy")), complaints.join("\n"));
  });

  it("opens a job's timeline of attempts, polls, webhooks and charges with request ids, and keeps it in the URL", async () => {
    await open();
    await page.locator("button.job", { hasText: "job-timeout" }).click();
    await page.waitForSelector("#timeline table.events");
    assert.match(page.url(), /[?&]job=job-timeout$/);
    const rows = await page.locator("#timeline table.events tbody tr").allTextContents();
    const types = await page.locator("#timeline table.events tbody tr td:nth-child(4)").allTextContents();
    assert.deepEqual(types, ["submitted", "created", "polled", "polled", "client_timeout", "completed", "webhook_failed", "submitted", "created", "completed"]);
    assert.ok(rows.some((r) => r.includes("r-t-1") && r.includes("webhook_failed")));
    assert.ok(rows.some((r) => r.includes("r-t-2")));
    const verdicts = await page.locator("#timeline > table.figures").first().locator("tbody tr td:nth-child(5)").allTextContents();
    assert.deepEqual(verdicts, ["waste: timeouts", "used"]);
    // A charge is on the timeline, and a reload with ?job= opens the timeline again.
    await page.goto(`${pathToFileURL(made.html).href}?job=job-model`);
    await page.waitForSelector("#timeline table.events");
    const charged = await page.locator("#timeline table.events tbody tr", { hasText: "charged" }).textContent();
    assert.match(charged!, /r-m-1.*amount 0\.02 · currency USD/);
    await page.locator("#timeline button.close").click();
    assert.equal(await page.locator("#timeline").count(), 0);
    assert.doesNotMatch(page.url(), /job=/);
  });

  it("is readable in dark mode", async () => {
    // A string, not a function: tsx would wrap a function's inner helpers in its __name, unknown in the page.
    const luminance = async (): Promise<{ bg: number; fg: number }> =>
      page.evaluate(`(() => {
        const lum = (c) => { const [r, g, b] = c.match(/\\d+/g).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
        const s = getComputedStyle(document.body);
        return { bg: lum(s.backgroundColor), fg: lum(s.color) };
      })()`);
    await open("", "dark");
    const dark = await luminance();
    assert.ok(dark.bg < 0.2 && dark.fg > 0.8, JSON.stringify(dark));
    await page.emulateMedia({ colorScheme: "light" });
    await page.waitForSelector(".uplot");
    const light = await luminance();
    assert.ok(light.bg > 0.8 && light.fg < 0.2, JSON.stringify(light));
    assert.equal(await page.locator(".uplot").count(), 1);
    assert.deepEqual(complaints, []);
  });
});

describe("failcost audit --db LEDGER --html", () => {
  it("writes the same report from a ledger, with the timelines read from the ledger", async () => {
    const f = await writeFixture();
    try {
      const db = join(f.dir, "failcost.db");
      assert.equal((await runCli(["ingest", "--db", db, "--no-progress", "events.jsonl"], f.dir)).code, 0);
      const run = await runCli(["audit", "--db", db, "--json", "--html", "ledger.html", "--no-progress"], f.dir);
      assert.equal(run.code, 0, run.stderr);
      const html = await readFile(join(f.dir, "ledger.html"), "utf8");
      const data = JSON.parse(/<script type="application\/json" id="failcost-data">(.*?)<\/script>/s.exec(html)![1]!) as PageData;
      assert.deepEqual(data.view!.report, JSON.parse(run.stdout) as Report);
      assert.equal(data.view!.report.billed, "0.1065");
      assert.match(data.view!.source, /failcost\.db/);
      const timeline = data.view!.timelines.find((t) => t.job === "job-timeout")!;
      assert.equal(timeline.events!.length, 10);
      assert.deepEqual([...new Set(timeline.events!.map((e) => e.request_id).filter(Boolean))], ["r-t-1", "r-t-2"]);
    } finally {
      await rm(f.dir, { recursive: true, force: true });
    }
  });
});

