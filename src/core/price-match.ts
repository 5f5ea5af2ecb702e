import type { Price, PriceRule } from "./policy.js";

/** A compiled `prices` table: finds the most specific rule for a model. */
export interface PriceTable {
  /** The rule that prices `model`, or `undefined` where no pattern matches. */
  lookup(model: string): PriceRule | undefined;
}

interface Compiled {
  readonly rule: PriceRule;
  readonly exact: boolean;
  readonly literals: number;
  readonly order: number;
  readonly re: RegExp | undefined;
}

function globToRegExp(glob: string): RegExp {
  let src = "^";
  for (const ch of glob) {
    if (ch === "*") src += ".*";
    else if (ch === "?") src += ".";
    else src += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`${src}$`, "s");
}

/** Orders rules most specific first: exact names, then globs with more literal characters, then file order. */
function bySpecificity(a: Compiled, b: Compiled): number {
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  return b.literals - a.literals || a.order - b.order;
}

/**
 * Compiles model globs (`*` any characters, `?` one). The most specific match wins whole
 * (spec §3): an exact name beats any glob; among globs, the one with more literal characters.
 */
export function createPriceTable(rules: readonly PriceRule[]): PriceTable {
  const compiled: Compiled[] = rules
    .map((rule, order) => {
      const exact = !/[*?]/.test(rule.pattern);
      const literals = rule.pattern.replace(/[*?]/g, "").length;
      return { rule, exact, literals, order, re: exact ? undefined : globToRegExp(rule.pattern) };
    })
    .sort(bySpecificity);
  const cache = new Map<string, PriceRule | undefined>();
  return {
    lookup(model) {
      if (cache.has(model)) return cache.get(model);
      const hit = compiled.find((c) => (c.exact ? c.rule.pattern === model : c.re!.test(model)))?.rule;
      cache.set(model, hit);
      return hit;
    },
  };
}

/** True when a price has no component at all (prices must come from the user). */
export function isEmptyPrice(p: Price): boolean {
  return p.per_job === undefined && p.per_second === undefined && p.per_request === undefined && (p.per_unit === undefined || Object.keys(p.per_unit).length === 0);
}
