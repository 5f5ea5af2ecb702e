import { percent } from "../../../money-text.js";
import { plural } from "../../../words.js";
import type { DashboardView } from "../../view.js";
import { h } from "../dom.js";
import { moneyEl } from "../format.js";

/** The three figures that matter: billed, useful and waste, each with its range where policies say `unknown`. */
export function headline(view: DashboardView): HTMLElement {
  const r = view.report;
  const cur = r.currency;
  const days = Object.keys(r.by_day);
  const span = days.length === 0 ? "no attempts" : days.length === 1 ? days[0]! : `${days[0]!} → ${days[days.length - 1]!}`;
  const billedRange = r.range.billed_high !== r.range.billed_low;
  const wasteRange = r.range.waste_high !== r.range.waste_low;
  const card = (name: string, figure: string, value: string, ...notes: (Node | string | false)[]): HTMLElement =>
    h("div", { class: `card card-${figure}` }, h("div", { class: "card-name" }, name), h("div", { class: "card-value" }, moneyEl(value, cur, figure)), h("div", { class: "card-note" }, ...notes));
  return h(
    "section",
    { class: "headline", "aria-label": "totals" },
    h("p", { class: "span" }, h("span", { "data-figure": "days" }, span), " · ", plural(r.jobs, "job"), " · ", plural(r.attempts, "attempt"), " · ", plural(r.events, "event"), " · ", `${plural(r.succeeded_jobs, "job")} got an output`),
    h(
      "div",
      { class: "cards" },
      card("billed", "billed", r.billed, billedRange && h("span", null, "up to ", moneyEl(r.range.billed_high, cur, "billed_high"), " where policies say unknown"), !billedRange && "exact: no unknown policy answers"),
      card("useful", "useful", r.useful, `${percent(r.useful, r.billed)} of billed`),
      card("waste", "waste", r.waste, `${percent(r.waste, r.billed)} of billed`, wasteRange && h("span", null, " · up to ", moneyEl(r.range.waste_high, cur, "waste_high"))),
    ),
  );
}
