import { CAUSE_WORDS } from "../../../words.js";
import type { DashboardView } from "../../view.js";
import { h } from "../dom.js";
import { moneyEl } from "../format.js";

/** Opens a job's timeline. */
export type OpenJob = (job: string) => void;

/** The most wasteful jobs; each job opens its timeline. */
export function topJobs(view: DashboardView, open: OpenJob, openJob: string | undefined): HTMLElement {
  const r = view.report;
  const row = (j: (typeof r.top_jobs)[number], i: number): HTMLElement => {
    const button = h("button", { type: "button", class: "link job", "aria-expanded": j.job === openJob ? "true" : "false", "data-job-index": i }, j.job);
    button.addEventListener("click", () => open(j.job));
    const ids = j.request_ids.length > 3 ? `${j.request_ids.slice(0, 3).join(" ")} +${j.request_ids.length - 3}` : j.request_ids.join(" ");
    return h(
      "tr",
      { class: j.job === openJob ? "open" : undefined },
      h("th", { scope: "row" }, button),
      h("td", null, j.models.join(", ")),
      h("td", { class: "num" }, String(j.attempts)),
      h("td", { class: "num" }, moneyEl(j.billed, r.currency, `job:${i}:billed`)),
      h("td", { class: "num" }, moneyEl(j.waste, r.currency, `job:${i}:waste`)),
      h("td", null, Object.keys(j.causes).map((c) => (Object.hasOwn(CAUSE_WORDS, c) ? CAUSE_WORDS[c] : c)).join(", ")),
      h("td", null, h("code", null, ids)),
    );
  };
  return h(
    "section",
    { class: "panel", id: "jobs" },
    h("h2", null, "Most wasteful jobs"),
    r.top_jobs.length === 0
      ? h("p", { class: "empty" }, "No job wasted money.")
      : h(
          "table",
          { class: "figures" },
          h("thead", null, h("tr", null, ...["job", "models", "attempts", "billed", "waste", "causes", "request ids"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", null, ...r.top_jobs.map(row)),
        ),
  );
}
