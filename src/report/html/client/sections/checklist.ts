import { checklistRows, describeAnswer, plural } from "../../../words.js";
import type { DashboardView } from "../../view.js";
import { h } from "../dom.js";
import { moneyEl } from "../format.js";

/** The cost review's checklist (spec §5): each pattern, what was measured, and its money. */
export function checklist(view: DashboardView): HTMLElement {
  const cur = view.report.currency;
  return h(
    "section",
    { class: "panel", id: "checklist" },
    h("h2", null, "Checklist"),
    h("table", { class: "figures" }, h("tbody", null, ...checklistRows(view.report.patterns, view.report.sdk_retries).map((row) => h("tr", null, h("th", { scope: "row" }, row.name), h("td", null, row.what), h("td", { class: "num" }, moneyEl(row.cost, cur, `pattern:${row.key}`)))))),
  );
}

/** The policy answers that are `unknown` for cases in the data, and what each could add to the bill. */
export function unknowns(view: DashboardView): HTMLElement {
  const r = view.report;
  return h(
    "section",
    { class: "panel", id: "unknowns" },
    h("h2", null, "Unknown policy answers"),
    r.unknowns.length === 0
      ? h("p", { class: "empty" }, "None: every case in the data has a documented answer, so the figures are exact.")
      : [
          h("p", { class: "muted" }, "The billed range depends on these. Low counts them as not billed, high as billed."),
          h(
            "table",
            { class: "figures" },
            h("thead", null, h("tr", null, ...["provider", "question", "attempts", "could cost"].map((t) => h("th", { scope: "col" }, t)))),
            h("tbody", null, ...r.unknowns.map((u) => h("tr", null, h("td", null, u.provider), h("td", null, describeAnswer(u.answer), " ", h("code", null, u.answer)), h("td", { class: "num" }, plural(u.attempts, "attempt")), h("td", { class: "num" }, moneyEl(u.could_cost, r.currency, `unknown:${u.provider}:${u.answer}`))))),
          ),
        ],
  );
}

/** Lines the audit could not use or price, each with where and why (shown as text). */
export function problems(view: DashboardView, limit = 100): HTMLElement | false {
  const list = view.report.problems;
  const unmatched = view.report.unmatched_charges;
  if (list.length === 0 && unmatched.count === 0) return false;
  return h(
    "section",
    { class: "panel", id: "problems" },
    h("h2", null, `Problems (${list.length})`),
    unmatched.count > 0 && h("p", null, `${plural(unmatched.count, "charge")} (`, moneyEl(unmatched.amount, view.report.currency, "unmatched"), unmatched.count === 1 ? ") names a request id no event mentions; it is not in billed." : ") name request ids no event mentions; they are not in billed."),
    h("ul", { class: "problems" }, ...list.slice(0, limit).map((p) => h("li", null, p.file !== undefined && h("code", null, `${p.file}:${p.line ?? ""}`), p.file !== undefined && " ", p.why))),
    list.length > limit && h("p", { class: "muted" }, `… and ${list.length - limit} more (failcost audit --json lists them all)`),
  );
}
