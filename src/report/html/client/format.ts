import { h } from "./dom.js";
import { formatMoney } from "../../money-text.js";

/** A money figure: the report's exact decimal text, formatted but never re-rounded. */
export function moneyText(value: string, currency: string): string {
  return formatMoney(value, currency);
}

/**
 * A share for drawing only (a bar's length, a chart's height): the one place money becomes a
 * float, and it never goes back into a figure shown as text.
 */
export function shareOf(part: string, whole: string): number {
  const p = Number(part);
  const w = Number(whole);
  return w > 0 && p > 0 ? Math.min(1, p / w) : 0;
}

/** Seconds between two ISO times, as `+1.234 s`, for timelines. */
export function offsetText(micros: number, from: number): string {
  const s = (micros - from) / 1e6;
  if (s < 60) return `+${s.toFixed(3)} s`;
  if (s < 3600) return `+${(s / 60).toFixed(1)} min`;
  return `+${(s / 3600).toFixed(1)} h`;
}

/** A money figure as an element carrying its exact value, so tests and people can check it. */
export function moneyEl(value: string, currency: string, figure?: string): HTMLSpanElement {
  return h("span", { class: "money", "data-value": value, ...(figure !== undefined ? { "data-figure": figure } : {}) }, moneyText(value, currency));
}
