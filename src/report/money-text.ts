import { parseDecimal, unitsAt } from "../core/index.js";

const SYMBOLS: Record<string, string> = { USD: "$", EUR: "€", GBP: "£", JPY: "¥" };

/** Money as people read it, every digit kept: `$1,234.5678`, `-$0.5`, `12.5 CHF`. */
export function formatMoney(amount: string, currency: string): string {
  const negative = amount.startsWith("-");
  const abs = negative ? amount.slice(1) : amount;
  const [int = "0", frac] = abs.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const digits = frac === undefined ? grouped : `${grouped}.${frac}`;
  const symbol = SYMBOLS[currency];
  const text = symbol ? `${symbol}${digits}` : `${digits} ${currency}`;
  return negative ? `-${text}` : text;
}

/** `part / whole` as a percentage with at most one decimal, computed exactly: `"19.4%"`. */
export function percent(part: string, whole: string): string {
  const p = parseDecimal(part);
  const w = parseDecimal(whole);
  if (!p || !w || w.units <= 0n) return "–";
  const scale = Math.max(p.scale, w.scale);
  const tenths = (unitsAt(p, scale) * 2000n) / unitsAt(w, scale); // twentieths of a percent, then round half up
  const rounded = (tenths + (tenths >= 0n ? 1n : -1n)) / 2n;
  const whole10 = rounded / 10n;
  const rest = (rounded < 0n ? -rounded : rounded) % 10n;
  return rest === 0n ? `${whole10}%` : `${rounded < 0n && whole10 === 0n ? "-" : ""}${whole10}.${rest}%`;
}
