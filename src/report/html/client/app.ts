import { filterQuery, readFilter } from "../filter.js";
import type { DashboardView, JobTimeline, PageData, ViewFilter } from "../view.js";
import { h, replaceChildren } from "./dom.js";
import { filterBar } from "./filters.js";
import { fetchJob, fetchView } from "./live.js";
import { breakdown } from "./sections/breakdown.js";
import { causes } from "./sections/causes.js";
import { checklist, problems, unknowns } from "./sections/checklist.js";
import { dailyChart, type Mounted } from "./sections/daily-chart.js";
import { extras } from "./sections/extras.js";
import { headline } from "./sections/headline.js";
import { timeline } from "./sections/timeline.js";
import { topJobs } from "./sections/top-jobs.js";
import { onThemeChange, readTheme } from "./theme.js";

interface State {
  view: DashboardView | undefined;
  stamp: string | undefined;
  filter: ViewFilter;
  job: string | undefined;
  timeline: JobTimeline | undefined;
  status: string;
  error: string | undefined;
}

function urlState(): { filter: ViewFilter; job: string | undefined } {
  const params = new URLSearchParams(location.search);
  const f = readFilter(params);
  return { filter: "problem" in f ? {} : f, job: params.get("job") ?? undefined };
}

/**
 * Runs the page: renders the view embedded in it, and in live mode keeps it current by asking
 * the server whether the figures changed. The filter and the open job live in the URL.
 */
export function startApp(root: HTMLElement, data: PageData): void {
  const live = data.config.mode === "live";
  const fromUrl = urlState();
  const state: State = { view: data.view, stamp: data.stamp, filter: live ? fromUrl.filter : (data.view?.filter ?? {}), job: fromUrl.job, timeline: undefined, status: live ? "live" : "", error: undefined };
  const header = h("header", { class: "top" });
  const main = h("main", null);
  replaceChildren(root, header, main);
  let charts: Mounted[] = [];
  let asked = 0;

  const writeUrl = (push: boolean): void => {
    const params = new URLSearchParams(live ? filterQuery(state.filter) : "");
    if (state.job !== undefined) params.set("job", state.job);
    const q = params.toString();
    const url = `${location.pathname}${q === "" ? "" : `?${q}`}`;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  };

  const renderHeader = (): void => {
    const v = state.view;
    const models = data.config.models ?? v?.models ?? [];
    replaceChildren(
      header,
      h("div", { class: "title" }, h("h1", null, "failcost"), h("span", { class: "source" }, v?.source ?? ""), live && h("span", { class: `status${state.status.startsWith("updating") ? " busy" : ""}`, "data-figure": "status", role: "status" }, state.status)),
      live ? filterBar(state.filter, models, setFilter) : h("p", { class: "muted" }, `Made ${v?.generated_at ?? ""}. A self-contained copy: no network needed.`),
      state.error !== undefined && h("p", { class: "error", role: "alert" }, state.error),
    );
  };

  const renderMain = (): void => {
    for (const c of charts) c.destroy();
    charts = [];
    const v = state.view;
    if (!v) {
      replaceChildren(main, h("p", { class: "empty" }, live ? "Computing the first report…" : "No report in this file."));
      return;
    }
    const cur = v.report.currency;
    // A filter just changed: the figures shown are another filter's until the new ones arrive.
    const other = live && filterQuery(v.filter) !== filterQuery(state.filter);
    main.classList.toggle("stale", other);
    const daily = dailyChart(v);
    charts.push(daily);
    const open = state.job !== undefined ? (state.timeline?.job === state.job ? state.timeline : { job: state.job, attempts: v.timelines.find((t) => t.job === state.job)?.attempts ?? [] }) : undefined;
    replaceChildren(
      main,
      other && h("p", { class: "notice", role: "status" }, "Computing the figures for this filter; the figures below are for ", filterQuery(v.filter) === "" ? "all the data" : filterQuery(v.filter).replace(/&/g, ", "), "."),
      headline(v),
      h("div", { class: "grid" }, causes(v), checklist(v)),
      daily.el,
      h("div", { class: "grid" }, breakdown("By provider", "provider", v.report.by_provider, cur, live ? (p) => setFilter({ ...state.filter, provider: p }) : undefined), unknowns(v)),
      breakdown("By model", "model", v.report.by_model, cur),
      topJobs(v, openJob, state.job),
      open && timeline(open, cur, () => openJob(undefined)),
      ...extras(v),
      problems(v),
    );
    const theme = readTheme();
    for (const c of charts) c.mount(theme);
  };

  const render = (): void => {
    renderHeader();
    renderMain();
  };

  const loadTimeline = async (): Promise<void> => {
    const job = state.job;
    if (job === undefined) return;
    if (!live) {
      state.timeline = state.view?.timelines.find((t) => t.job === job);
      return;
    }
    try {
      const t = await fetchJob(job, state.filter);
      if (state.job === job) state.timeline = t;
    } catch (e) {
      state.error = `could not load the timeline of ${job}: ${e instanceof Error ? e.message : String(e)}`;
    }
  };

  function openJob(job: string | undefined): void {
    state.job = job;
    state.timeline = undefined;
    writeUrl(true);
    render();
    if (job === undefined) return;
    void loadTimeline().then(() => {
      render();
      document.getElementById("timeline")?.scrollIntoView({ block: "nearest" });
    });
  }

  const poll = async (): Promise<void> => {
    const ask = ++asked;
    try {
      const res = await fetchView(state.filter, state.stamp);
      if (ask !== asked) return; // the filter changed meanwhile
      state.error = res.status === "error" ? (res.message ?? "error") : undefined;
      if (res.view) {
        state.view = res.view;
        if (state.timeline) await loadTimeline();
      }
      if (res.stamp !== undefined) state.stamp = res.stamp;
      state.status = res.status === "computing" ? `updating… ${res.progress ?? ""}`.trim() : `live · figures of ${new Date(state.view?.generated_at ?? Date.now()).toLocaleTimeString()}`;
      if (res.status !== "unchanged" || res.view) render();
      else renderHeader();
    } catch (e) {
      if (ask !== asked) return;
      state.status = "offline: retrying";
      state.error = e instanceof Error ? e.message : String(e);
      renderHeader();
    }
  };

  function setFilter(filter: ViewFilter): void {
    state.filter = filter;
    state.stamp = undefined;
    state.status = "updating…";
    writeUrl(true);
    renderHeader();
    void poll();
  }

  window.addEventListener("popstate", () => {
    const s = urlState();
    if (live) state.filter = s.filter;
    state.stamp = undefined;
    state.job = s.job;
    state.timeline = undefined;
    render();
    if (live) void poll();
    void loadTimeline().then(render);
  });
  onThemeChange(render);

  render();
  if (state.job !== undefined) void loadTimeline().then(render);
  if (live) {
    const every = data.config.refreshMs ?? 2000;
    // A hidden tab does not ask; it catches up when shown again.
    const tick = (): void => {
      if (document.hidden) setTimeout(tick, every);
      else void poll().finally(() => setTimeout(tick, every));
    };
    tick();
  }
}
