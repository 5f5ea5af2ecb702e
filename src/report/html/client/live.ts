import { filterQuery } from "../filter.js";
import type { JobTimeline, ViewFilter, ViewResponse } from "../view.js";

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}

function query(filter: ViewFilter, extra: Record<string, string | undefined>): string {
  const params = new URLSearchParams(filterQuery(filter));
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) params.set(k, v);
  const q = params.toString();
  return q === "" ? "" : `?${q}`;
}

/** Asks the dashboard server for the figures of a filter; `known` is the stamp the page already shows. */
export function fetchView(filter: ViewFilter, known: string | undefined): Promise<ViewResponse> {
  return getJson<ViewResponse>(`api/view${query(filter, { known })}`);
}

/** Asks the dashboard server for a job's timeline with its events. */
export function fetchJob(job: string, filter: ViewFilter): Promise<JobTimeline> {
  return getJson<JobTimeline>(`api/job${query(filter, { job })}`);
}
