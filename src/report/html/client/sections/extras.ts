import type { DashboardView } from "../../view.js";
import { h, type Child } from "../dom.js";

const TITLES: Record<string, string> = { reconciliation: "Reconciliation with the bill", forecast: "Forecast" };
const EMPTY: Record<string, string> = {
  reconciliation: "No reconciliation yet: run failcost reconcile --invoice BILL --db LEDGER to check the bill against the ledger.",
  forecast: "No forecast yet: run failcost forecast --db LEDGER to simulate more jobs under these policies.",
};

/** Any JSON value as nested text: tables for objects and lists, never markup. */
function value(v: unknown, depth = 0): Child {
  if (v === null || v === undefined) return h("span", { class: "muted" }, "–");
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v !== "object") return "";
  if (depth > 4) return JSON.stringify(v);
  const entries: [string, unknown][] = Array.isArray(v) ? v.slice(0, 100).map((x, i) => [String(i + 1), x]) : Object.entries(v as Record<string, unknown>);
  return h("table", { class: "figures compact nested" }, h("tbody", null, ...entries.map(([k, x]) => h("tr", null, h("th", { scope: "row" }, k), h("td", null, value(x, depth + 1))))));
}

/**
 * Results other commands stored beside the ledger (reconciliation, forecast), shown as they are;
 * a clear empty slot says how to make them.
 */
export function extras(view: DashboardView): HTMLElement[] {
  const keys = [...new Set(["reconciliation", "forecast", ...Object.keys(view.extras)])];
  return keys.map((k) => h("section", { class: "panel extra", id: `extra-${k}` }, h("h2", null, Object.hasOwn(TITLES, k) ? TITLES[k] : k), view.extras[k] === undefined ? h("p", { class: "empty" }, Object.hasOwn(EMPTY, k) ? EMPTY[k] : "Nothing stored.") : value(view.extras[k])));
}
