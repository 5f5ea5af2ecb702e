import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { Report } from "../../src/core/index.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import { runCli } from "../support/cli.js";
import { figures, launchBrowser, watchPage } from "./browser.js";
import { HOSTILE, writeFixture } from "./fixture.js";
import { startServedLedger, type ServedLedger } from "./start-serving.js";

/** The CLI's JSON report of the fixture with these extra flags: what the dashboard must show. */
async function cliReport(...flags: string[]): Promise<Report> {
  const f = await writeFixture();
  const run = await runCli(["audit", "events.jsonl", "--json", "--no-progress", ...flags], f.dir);
  assert.equal(run.code, 0, run.stderr);
  await rm(f.dir, { recursive: true, force: true });
  return JSON.parse(run.stdout) as Report;
}

async function headline(page: Page): Promise<string[]> {
  const f = await figures(page);
  return ["billed", "useful", "waste"].map((k) => f.get(k) ?? "");
}

/** Waits until the page shows current figures for its URL's filter. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector("main.stale") && /^live/.test(document.querySelector('[data-figure="status"]')?.textContent ?? ""));
}

describe("failcost serve: the dashboard in a real browser, over a real SQLite ledger", () => {
  let browser: Browser;
  let dash: ServedLedger;
  let page: Page;
  let complaints: string[];

  before(async () => {
    [browser, dash] = await Promise.all([launchBrowser(), startServedLedger()]);
  });
  after(async () => {
    await dash?.close();
    await browser?.close();
  });

  const open = async (query = ""): Promise<void> => {
    page = await browser.newPage();
    complaints = watchPage(page);
    await page.goto(`${dash.url}${query}`);
    await page.waitForSelector("[data-figure=billed]");
    await settled(page);
  };

  it("loads with the figures of the JSON report, under a strict CSP", async () => {
    const res = await fetch(dash.url);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    await open();
    const report = (await (await fetch(`${dash.url}api/report`)).json()) as Report;
    assert.deepEqual(await headline(page), ["0.1065", "0.0605", "0.046"]);
    assert.deepEqual(await headline(page), [report.billed, report.useful, report.waste]);
    const f = await figures(page);
    for (const [cause, v] of Object.entries(report.waste_by_cause)) assert.equal(f.get(`cause:${cause}`) ?? "0", v, cause);
    for (const [name, b] of Object.entries(report.by_model)) assert.equal(f.get(`model:${name}:billed`), b.billed, name);
    assert.deepEqual(complaints, []);
  });

  it("filters by date range, provider and model; the filter stays in the URL and the figures equal the CLI's filtered audit", async () => {
    await open();
    await page.fill('input[name="from"]', "2026-11-02");
    await page.waitForFunction(() => location.search === "?from=2026-11-02");
    await settled(page);
    const day2 = await cliReport("--since", "2026-11-02");
    // Hand-computed: day 2 holds job-timeout 0.024, job-model 0.02, job-rate 0.012 and job-cancel 0.
    assert.deepEqual([day2.billed, day2.waste], ["0.056", "0.032"]);
    assert.deepEqual(await headline(page), [day2.billed, day2.useful, day2.waste]);
    // A reload keeps the filter.
    await page.reload();
    await settled(page);
    assert.equal(await page.inputValue('input[name="from"]'), "2026-11-02");
    assert.deepEqual(await headline(page), [day2.billed, day2.useful, day2.waste]);
    // Day 1 only, then one model.
    await page.fill('input[name="from"]', "");
    await page.fill('input[name="to"]', "2026-11-01");
    await page.waitForFunction(() => location.search === "?to=2026-11-01");
    await settled(page);
    const day1 = await cliReport("--until", "2026-11-02");
    assert.deepEqual(await headline(page), [day1.billed, day1.useful, day1.waste]);
    await page.fill('input[name="to"]', "");
    await page.selectOption('select[name="model"]', HOSTILE.model);
    await page.waitForFunction(() => new URLSearchParams(location.search).has("model"));
    await settled(page);
    assert.deepEqual(await headline(page), ["0.02", "0", "0.02"]);
    assert.equal(new URL(page.url()).searchParams.get("model"), HOSTILE.model);
    // The back button goes to the previous filter.
    await page.goBack();
    await settled(page);
    assert.equal(new URL(page.url()).searchParams.get("model"), null);
    assert.deepEqual(complaints, []);
  });

  it("opens a job's timeline with its attempts, polls, webhooks and request ids from the ledger", async () => {
    await open("?provider=acme");
    await page.locator("button.job", { hasText: "job-timeout" }).click();
    await page.waitForSelector("#timeline table.events");
    assert.equal(new URL(page.url()).searchParams.get("job"), "job-timeout");
    assert.equal(new URL(page.url()).searchParams.get("provider"), "acme");
    const types = await page.locator("#timeline table.events tbody tr td:nth-child(4)").allTextContents();
    assert.deepEqual(types, ["submitted", "created", "polled", "polled", "client_timeout", "completed", "webhook_failed", "submitted", "created", "completed"]);
    const ids = await page.locator("#timeline table.events tbody tr td:nth-child(5)").allTextContents();
    assert.deepEqual([...new Set(ids.filter(Boolean))], ["r-t-1", "r-t-2"]);
    const billed = await figures(page);
    assert.equal(billed.get("attempt:1:billed"), "0.012");
    assert.equal(billed.get("attempt:2:billed"), "0.012");
  });

  it("shows names and messages with markup as text and runs none of it", async () => {
    await open(`?job=${encodeURIComponent(HOSTILE.job)}`);
    await page.waitForSelector("#timeline table.events");
    assert.equal(await page.locator('[data-figure="timeline-job"]').textContent(), HOSTILE.job);
    await page.selectOption('select[name="provider"]', HOSTILE.provider);
    await settled(page);
    await page.evaluate(() => document.querySelectorAll("*").forEach((e) => e.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }))));
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    assert.equal(await page.locator("img, i, #app script").count(), 0);
    assert.ok((await page.locator("#provider tbody th").allTextContents()).includes(HOSTILE.provider));
    assert.deepEqual(complaints, []);
  });

  it("shows events ingested while it is open, without a reload", async () => {
    await open();
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await dash.ingest([
      { ts: "2026-11-02T12:00:00Z", provider: "acme", model: "acme/img-1", job: "job-late", attempt: 1, type: "submitted" },
      { ts: "2026-11-02T12:00:09Z", provider: "acme", model: "acme/img-1", job: "job-late", attempt: 1, type: "completed", outcome: "failed", run_seconds: 8, error: "unavailable" },
    ]);
    // One more failed img attempt: 0.002 more billed, all of it waste.
    await page.waitForFunction(() => document.querySelector('[data-figure="billed"]')?.getAttribute("data-value") === "0.1085", undefined, { timeout: 20_000 });
    assert.deepEqual(await headline(page), ["0.1085", "0.0605", "0.048"]);
    assert.equal(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument), true);
    assert.equal((await figures(page)).get("cause:unavailable"), "0.004");
  });

  it("shows a stored reconciliation when one appears, as text, cut to a page's worth", async () => {
    await open();
    assert.match((await page.locator("#extra-reconciliation").textContent())!, /No reconciliation yet/);
    const ledger = await openLedger(dash.db, { create: false });
    const items = Array.from({ length: 120 }, (_, i) => ({ request_id: `r-${i}`, class: "matched" }));
    await ledger.writeSnapshot("reconciliation", JSON.stringify({ currency: "USD", note: HOSTILE.job, totals: { matched: { count: 120, billed: "1.5" } }, items }));
    await ledger.close();
    await page.waitForFunction(() => !/No reconciliation yet/.test(document.querySelector("#extra-reconciliation")?.textContent ?? ""), undefined, { timeout: 20_000 });
    const text = (await page.locator("#extra-reconciliation").textContent())!;
    assert.ok(text.includes(HOSTILE.job));
    assert.ok(text.includes("r-49") && !text.includes("r-50") && text.includes("… and 70 more"), text.slice(0, 300));
    assert.equal(await page.locator("#extra-reconciliation img").count(), 0);
    assert.deepEqual(complaints, []);
  });
});
