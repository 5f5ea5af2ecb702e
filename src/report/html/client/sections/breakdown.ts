import type { Breakdown } from "../../../../core/index.js";
import { percent } from "../../../money-text.js";
import { modelKeyLabel } from "../../../model-label.js";
import { bar, h } from "../dom.js";
import { moneyEl, shareOf } from "../format.js";
import { byWasteDesc } from "./causes.js";

/** What a breakdown row does when clicked (live dashboard: filter by it). */
export type PickName = (name: string) => void;

/**
 * Billed, useful and waste by provider or by model, most waste first, with bars of the useful
 * and wasted parts of each row's billed money.
 */
export function breakdown(title: string, id: string, record: Readonly<Record<string, Breakdown>>, currency: string, pick?: PickName, limit = 25): HTMLElement {
  const names = byWasteDesc(record);
  const max = names.reduce((m, n) => Math.max(m, Number(record[n]!.billed)), 0);
  const shown = names.slice(0, limit);
  const row = (name: string): HTMLElement => {
    const b = record[name]!;
    const shown = id === "model" ? modelKeyLabel(name) : name;
    const label = pick ? h("button", { type: "button", class: "link", title: `show only ${shown}` }, shown) : shown;
    if (pick && label instanceof HTMLButtonElement) label.addEventListener("click", () => pick(name));
    const whole = max > 0 ? Number(b.billed) / max : 0;
    return h(
      "tr",
      { "data-name": name },
      h("th", { scope: "row" }, label),
      h("td", { class: "num" }, String(b.jobs)),
      h("td", { class: "num" }, String(b.attempts)),
      h("td", { class: "num" }, moneyEl(b.billed, currency, `${id}:${name}:billed`)),
      h("td", { class: "num" }, moneyEl(b.useful, currency, `${id}:${name}:useful`)),
      h("td", { class: "num" }, moneyEl(b.waste, currency, `${id}:${name}:waste`)),
      h("td", { class: "num muted" }, percent(b.waste, b.billed)),
      h("td", { class: "wide" }, bar({ share: whole * shareOf(b.useful, b.billed), className: "useful", label: "useful" }, { share: whole * shareOf(b.waste, b.billed), className: "waste", label: "waste" })),
    );
  };
  return h(
    "section",
    { class: "panel", id },
    h("h2", null, title),
    names.length === 0
      ? h("p", { class: "empty" }, "Nothing here.")
      : h(
          "table",
          { class: "figures" },
          h("thead", null, h("tr", null, ...["", "jobs", "attempts", "billed", "useful", "waste", "waste %", ""].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", null, ...shown.map(row)),
        ),
    names.length > limit && h("p", { class: "muted" }, `… and ${names.length - limit} more (filter to see them)`),
  );
}
