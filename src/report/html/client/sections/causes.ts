import { CAUSES, compareDecimal, parseDecimal, ZERO } from "../../../../core/index.js";
import { percent } from "../../../money-text.js";
import { CAUSE_WORDS } from "../../../words.js";
import type { DashboardView } from "../../view.js";
import { bar, h } from "../dom.js";
import { moneyEl, shareOf } from "../format.js";

/** Waste split into its causes (they add up to the waste exactly), largest first. */
export function causes(view: DashboardView): HTMLElement {
  const r = view.report;
  const rows = CAUSES.map((c) => [c, r.waste_by_cause[c]] as const)
    .filter(([, v]) => v !== undefined && v !== "0")
    .sort((a, b) => compareDecimal(parseDecimal(b[1])!, parseDecimal(a[1])!));
  const max = rows[0]?.[1] ?? "0";
  return h(
    "section",
    { class: "panel", id: "causes" },
    h("h2", null, "Waste by cause"),
    rows.length === 0
      ? h("p", { class: "empty" }, "No waste: every billed attempt was used.")
      : h(
          "table",
          { class: "figures" },
          h("tbody", null, ...rows.map(([c, v]) => h("tr", null, h("th", { scope: "row" }, h("span", { class: `swatch cause-${c}` }), CAUSE_WORDS[c] ?? c), h("td", { class: "num" }, moneyEl(v, r.currency, `cause:${c}`)), h("td", { class: "num muted" }, percent(v, r.waste)), h("td", { class: "wide" }, bar({ share: shareOf(v, max), className: `cause-${c}` }))))),
        ),
  );
}

/** Sorts names by the waste of their breakdown, most first. */
export function byWasteDesc(record: Readonly<Record<string, { readonly waste: string }>>): string[] {
  return Object.keys(record).sort((a, b) => compareDecimal(parseDecimal(record[b]!.waste) ?? ZERO, parseDecimal(record[a]!.waste) ?? ZERO) || (a < b ? -1 : a > b ? 1 : 0));
}
