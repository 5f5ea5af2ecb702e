import { writeFile } from "node:fs/promises";
import type { StoredEvent } from "../../core/index.js";
import { FileError, messageOf } from "../../errors.js";
import { loadClientAssets } from "./client-assets.js";
import { renderPage } from "./render-page.js";
import { withEvents } from "./timeline.js";
import type { DashboardView } from "./view.js";

/** Where the timelines' events come from: event files read again, or the ledger. */
export type JobEventSource = (jobs: ReadonlySet<string>) => Promise<ReadonlyMap<string, readonly StoredEvent[]>>;

/** The self-contained report as HTML text: the view, with the most wasteful jobs' events inlined. */
export async function renderHtmlReport(view: DashboardView, events: JobEventSource): Promise<string> {
  const byJob = await events(new Set(view.timelines.map((t) => t.job)));
  const full: DashboardView = { ...view, timelines: view.timelines.map((t) => withEvents(t, byJob.get(t.job) ?? [])) };
  return renderPage({ config: { mode: "static" }, view: full }, await loadClientAssets()).html;
}

/** Writes the self-contained HTML report (no network needed to open it) to `path`. */
export async function writeHtmlReport(path: string, view: DashboardView, events: JobEventSource): Promise<void> {
  const html = await renderHtmlReport(view, events);
  try {
    await writeFile(path, html);
  } catch (e) {
    throw new FileError(`cannot write ${path}: ${messageOf(e)}`, path);
  }
}
