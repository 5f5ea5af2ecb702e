import type { ModelName, ViewFilter } from "../view.js";
import { h } from "./dom.js";

/** Applies a new filter. */
export type SetFilter = (filter: ViewFilter) => void;

function select(name: string, label: string, values: readonly string[], current: string | undefined, change: (v: string | undefined) => void): HTMLElement {
  const el = h("select", { name, "aria-label": label }, h("option", { value: "" }, `all ${label}s`), ...values.map((v) => h("option", { value: v, selected: v === current }, v)));
  if (current !== undefined && !values.includes(current)) el.appendChild(h("option", { value: current, selected: true }, current));
  el.addEventListener("change", () => change(el.value === "" ? undefined : el.value));
  return h("label", null, label, " ", el);
}

function date(name: string, label: string, current: string | undefined, change: (v: string | undefined) => void): HTMLElement {
  const el = h("input", { type: "date", name, value: current ?? "" });
  el.addEventListener("change", () => change(el.value === "" ? undefined : el.value));
  return h("label", null, label, " ", el);
}

/** The filter bar: a date range (UTC days, both ends included), a provider and a model; each change goes to the URL. */
export function filterBar(filter: ViewFilter, models: readonly ModelName[], set: SetFilter): HTMLElement {
  const providers = [...new Set(models.map((m) => m.provider))].sort();
  const modelNames = [...new Set(models.filter((m) => filter.provider === undefined || m.provider === filter.provider).map((m) => m.model))].sort();
  const put = (key: keyof ViewFilter) => (v: string | undefined) => {
    const next: Record<string, string> = {};
    for (const [k, x] of Object.entries({ ...filter, [key]: v })) if (x !== undefined) next[k] = x;
    set(next);
  };
  const clear = h("button", { type: "button", class: "link", disabled: Object.keys(filter).length === 0 }, "clear");
  clear.addEventListener("click", () => set({}));
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "filters" },
    date("from", "from", filter.from, put("from")),
    date("to", "to", filter.to, put("to")),
    select("provider", "provider", providers, filter.provider, put("provider")),
    select("model", "model", modelNames, filter.model, put("model")),
    clear,
  );
  form.addEventListener("submit", (e) => e.preventDefault());
  return form;
}
