import { decimalFromNumber, parseDecimal, type Decimal } from "./decimal.js";
import { FAILURE_TYPES, type FailureType } from "./failure-type.js";
import { BILLED_OUTCOMES, COMPONENTS, type BillAnswer, type Evidence, type Policy, type Price, type PriceRule } from "./policy.js";

/** One thing wrong with a policy: the key (a dotted path) and what was expected there. */
export interface PolicyIssue {
  readonly key: string;
  readonly expected: string;
  readonly got?: string;
}

/** True for a `YYYY-MM-DD` text naming a day that exists (not 2026-02-30 or 2026-13-01). */
function isCalendarDate(v: unknown): v is string {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const [y, m, d] = v.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A checked policy, or everything wrong with it. */
export type ParsePolicyResult = { readonly ok: true; readonly policy: Policy } | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** Top-level keys a policy may have (`x_…` keys are free for users). */
export const POLICY_KEYS = [
  "provider",
  "currency",
  "checked",
  "sources",
  "prices",
  "bills",
  "polls",
  "min_poll_seconds",
  "free_retries",
  "backoff",
  "prices_from_user",
  "evidence",
  "notes",
] as const;

const PRICE_KEYS = ["per_job", "per_second", "per_unit", "per_request", "max_run_seconds"] as const;
const REJECTED_KEYS = new Set<string>([...FAILURE_TYPES, "*"]);

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = v instanceof Date ? v.toISOString() : (JSON.stringify(v) ?? typeof v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function keyPath(parent: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`;
}

class Checker {
  readonly issues: PolicyIssue[] = [];

  fail(key: string, expected: string, got?: unknown): undefined {
    this.issues.push({ key, expected, got: show(got) });
    return undefined;
  }

  /** A price amount: decimal text, or a number that round-trips exactly. */
  amount(key: string, v: unknown): Decimal | undefined {
    let d: Decimal | undefined;
    if (typeof v === "string") d = parseDecimal(v);
    else if (typeof v === "number" && significantDigits(v) <= 15) d = decimalFromNumber(v);
    if (d === undefined || d.units < 0n) return this.fail(key, 'a decimal amount >= 0, written as a string like "0.002"', v);
    return d;
  }

  answer(key: string, v: unknown): BillAnswer | undefined {
    if (v === "unknown") return "unknown";
    if (!Array.isArray(v)) return this.fail(key, `a list of components (${COMPONENTS.join(", ")}) or "unknown"`, v);
    const out: (typeof COMPONENTS)[number][] = [];
    v.forEach((c, i) => {
      if (typeof c === "string" && (COMPONENTS as readonly string[]).includes(c)) out.push(c as (typeof COMPONENTS)[number]);
      else this.fail(`${key}[${i}]`, `one of ${COMPONENTS.join(", ")}`, c);
    });
    return out;
  }

  /** Answers by failure type (`rejected`, or `failed` written as a mapping). */
  byType(key: string, v: Obj): Partial<Record<FailureType | "*", BillAnswer>> {
    const byType: Partial<Record<FailureType | "*", BillAnswer>> = {};
    for (const [t, tv] of Object.entries(v)) {
      if (!REJECTED_KEYS.has(t)) {
        this.fail(keyPath(key, t), `a failure type (${FAILURE_TYPES.join(", ")}) or "*"`, t);
        continue;
      }
      const a = this.answer(keyPath(key, t), tv);
      if (a) byType[t as FailureType | "*"] = a;
    }
    return byType;
  }

  price(key: string, v: unknown): Price | undefined {
    if (!isObj(v)) return this.fail(key, `an object with ${PRICE_KEYS.join(", ")}`, v);
    const p: { -readonly [K in keyof Price]: Price[K] } = {};
    for (const [k, val] of Object.entries(v)) {
      const at = keyPath(key, k);
      if (k === "per_unit") {
        if (!isObj(val)) {
          this.fail(at, 'an object of prices per unit, like { image: "0.01" }', val);
          continue;
        }
        const units: Record<string, Decimal> = {};
        for (const [u, amount] of Object.entries(val)) {
          const d = this.amount(keyPath(at, u), amount);
          if (d) units[u] = d;
        }
        p.per_unit = units;
      } else if (k === "per_job" || k === "per_second" || k === "per_request" || k === "max_run_seconds") {
        const d = this.amount(at, val);
        if (d) p[k] = d;
      } else {
        this.fail(at, `one of ${PRICE_KEYS.join(", ")}`, k);
      }
    }
    return p;
  }
}

function significantDigits(n: number): number {
  const m = /^-?(\d+)(?:\.(\d+))?(?:e[+-]?\d+)?$/i.exec(String(n));
  if (!m) return 99;
  return ((m[1] ?? "") + (m[2] ?? "")).replace(/^0+/, "").length;
}

/**
 * Checks a policy object (from YAML or JSON) against spec §3. Every problem is reported with
 * its key and what was expected; nothing is guessed. A missing `bills` answer is `unknown`.
 */
export function parsePolicy(raw: unknown): ParsePolicyResult {
  const c = new Checker();
  if (!isObj(raw)) {
    c.fail("(top)", "a mapping with provider, currency, prices and bills", raw);
    return { ok: false, issues: c.issues };
  }
  for (const k of Object.keys(raw)) {
    if (!(POLICY_KEYS as readonly string[]).includes(k) && !k.startsWith("x_")) c.fail(keyPath("", k), `one of ${POLICY_KEYS.join(", ")} (or an x_ key)`, k);
  }
  const provider = raw.provider;
  if (typeof provider !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(provider)) c.fail("provider", "a provider name in lower case, like replicate", provider);
  const currency = raw.currency;
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) c.fail("currency", 'an ISO 4217 code like "USD"', currency);
  let checked: string | undefined;
  if (raw.checked !== undefined) {
    const v = raw.checked instanceof Date ? raw.checked.toISOString().slice(0, 10) : raw.checked;
    if (!isCalendarDate(v)) c.fail("checked", "a real date like 2026-11-01", raw.checked);
    else checked = v;
  }
  const sources: string[] = [];
  if (raw.sources !== undefined) {
    if (!Array.isArray(raw.sources)) c.fail("sources", "a list of addresses", raw.sources);
    else raw.sources.forEach((s, i) => (typeof s === "string" && s !== "" ? sources.push(s) : c.fail(`sources[${i}]`, "an address", s)));
  }

  const prices: PriceRule[] = [];
  if (raw.prices !== undefined && raw.prices !== null) {
    if (!isObj(raw.prices)) c.fail("prices", 'a mapping of model globs to prices, like "*": { per_second: "0.001" }', raw.prices);
    else
      for (const [pattern, v] of Object.entries(raw.prices)) {
        const price = c.price(keyPath("prices", pattern), v);
        if (price) prices.push({ pattern, price });
      }
  }

  const bills = { succeeded: "unknown", failed: "unknown", canceled: "unknown", timed_out: "unknown", rejected: {} } as {
    -readonly [K in keyof Policy["bills"]]: Policy["bills"][K];
  };
  const rawBills = raw.bills;
  // `polls` may sit under `bills` (as in the spec's example) or at the top level.
  let billsPolls: unknown;
  if (rawBills === undefined) c.fail("bills", "a mapping of outcomes (succeeded, failed, canceled, timed_out, rejected) to components");
  else if (!isObj(rawBills)) c.fail("bills", "a mapping of outcomes to components", rawBills);
  else {
    for (const [k, v] of Object.entries(rawBills)) {
      const at = keyPath("bills", k);
      if (k === "failed" && isObj(v)) {
        // By failure type: "*" (or nothing: unknown) answers `failed`, the rest `failed_by_type`.
        const { "*": rest, ...byType } = c.byType(at, v);
        bills.failed = rest ?? "unknown";
        if (Object.keys(byType).length > 0) bills.failed_by_type = byType;
      } else if ((BILLED_OUTCOMES as readonly string[]).includes(k)) {
        const a = c.answer(at, v);
        if (a) bills[k as (typeof BILLED_OUTCOMES)[number]] = a;
      } else if (k === "rejected") {
        if (v === "unknown" || Array.isArray(v)) {
          const a = c.answer(at, v);
          if (a) bills.rejected = { "*": a };
        } else if (isObj(v)) bills.rejected = c.byType(at, v);
        else c.fail(at, 'a list of components, "unknown", or a mapping by failure type', v);
      } else if (k === "polls") billsPolls = v;
      else c.fail(at, `one of ${[...BILLED_OUTCOMES, "rejected", "polls"].join(", ")}`, k);
    }
  }

  let polls: boolean | "unknown" = "unknown";
  const pollAnswers: [string, unknown][] = [["polls", raw.polls], ["bills.polls", billsPolls]];
  for (const [key, v] of pollAnswers) {
    if (v === undefined) continue;
    if (v === true || v === false || v === "unknown") {
      if (key === "bills.polls" && raw.polls !== undefined && raw.polls !== v) c.fail(key, `the same answer as the top-level polls (${JSON.stringify(raw.polls)}), or only one of them`, v);
      else polls = v;
    } else c.fail(key, 'true, false or "unknown"', v);
  }
  let minPoll: number | undefined;
  if (raw.min_poll_seconds !== undefined) {
    if (typeof raw.min_poll_seconds !== "number" || !(raw.min_poll_seconds >= 0)) c.fail("min_poll_seconds", "a number of seconds >= 0", raw.min_poll_seconds);
    else minPoll = raw.min_poll_seconds;
  }
  let freeRetries: boolean | "unknown" | undefined;
  if (raw.free_retries !== undefined) {
    if (raw.free_retries === true || raw.free_retries === false || raw.free_retries === "unknown") freeRetries = raw.free_retries;
    else c.fail("free_retries", 'true, false or "unknown"', raw.free_retries);
  }
  if (raw.backoff !== undefined && (typeof raw.backoff !== "string" || raw.backoff === "")) c.fail("backoff", 'the advised retry backoff in a few words, or "unknown"', raw.backoff);
  if (raw.prices_from_user !== undefined && typeof raw.prices_from_user !== "boolean") c.fail("prices_from_user", "true or false", raw.prices_from_user);
  let evidence: Record<string, Evidence> | undefined;
  if (raw.evidence !== undefined) {
    if (!isObj(raw.evidence)) c.fail("evidence", "a mapping of answer paths to { source, checked, quote }", raw.evidence);
    else {
      evidence = {};
      for (const [k, v] of Object.entries(raw.evidence)) {
        const at = keyPath("evidence", k);
        if (!isObj(v) || typeof v.source !== "string") {
          c.fail(at, "{ source: <address>, checked?: <date>, quote?: <text> }", v);
          continue;
        }
        const chk = v.checked instanceof Date ? v.checked.toISOString().slice(0, 10) : v.checked;
        if (chk !== undefined && !isCalendarDate(chk)) c.fail(keyPath(at, "checked"), "a real date like 2026-11-01", v.checked);
        if (v.quote !== undefined && typeof v.quote !== "string") c.fail(keyPath(at, "quote"), "text", v.quote);
        evidence[k] = { source: v.source, ...(isCalendarDate(chk) ? { checked: chk } : {}), ...(typeof v.quote === "string" ? { quote: v.quote } : {}) };
      }
    }
  }
  if (raw.notes !== undefined && typeof raw.notes !== "string") c.fail("notes", "text", raw.notes);

  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  const policy: Policy = {
    provider: provider as string,
    currency: currency as string,
    ...(checked ? { checked } : {}),
    sources,
    prices,
    bills,
    polls,
    ...(minPoll !== undefined ? { min_poll_seconds: minPoll } : {}),
    ...(freeRetries !== undefined ? { free_retries: freeRetries } : {}),
    ...(typeof raw.backoff === "string" ? { backoff: raw.backoff } : {}),
    ...(typeof raw.prices_from_user === "boolean" ? { prices_from_user: raw.prices_from_user } : {}),
    ...(evidence ? { evidence } : {}),
    ...(typeof raw.notes === "string" ? { notes: raw.notes } : {}),
  };
  return { ok: true, policy };
}

/** One line per issue: `key: expected X, got Y`. */
export function formatPolicyIssue(issue: PolicyIssue): string {
  return `${issue.key}: expected ${issue.expected}${issue.got !== undefined ? `, got ${issue.got}` : ""}`;
}
