import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's chromium: the only browser the tests use (nothing is downloaded). */
export const CHROMIUM = process.env.FAILCOST_CHROMIUM ?? "/usr/bin/chromium";

/** Launches headless chromium with the flags this workplace requires. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Everything a page complained about: script errors, console errors, CSP violations. */
export function watchPage(page: Page): string[] {
  const complaints: string[] = [];
  page.on("pageerror", (e) => complaints.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") complaints.push(`console ${m.type()}: ${m.text()}`);
  });
  return complaints;
}

/** Every `[data-figure]` element's exact value (`data-value`, else its text), by figure name. */
export async function figures(page: Page): Promise<Map<string, string>> {
  const list = await page.$$eval("[data-figure]", (els) => els.map((e) => [e.getAttribute("data-figure")!, e.getAttribute("data-value") ?? e.textContent ?? ""] as [string, string]));
  return new Map(list);
}
