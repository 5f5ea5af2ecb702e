import { isAbsolute, relative, resolve } from "node:path";
import { DEFAULT_LEDGER, isPostgresTarget } from "./open-ledger.js";

/** Which ledger a command uses, and how to name it in messages (never with a password). */
export interface LedgerTarget {
  readonly target: string;
  readonly display: string;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.href;
  } catch {
    return "the PostgreSQL ledger";
  }
}

/**
 * The ledger of `--db`: else `$FAILCOST_DB`; else `failcost.db` in the working folder. A file
 * path is resolved against `cwd`; a `postgres://` URL is kept as is.
 */
export function resolveLedgerTarget(given: string | undefined, cwd: string, env: Readonly<Record<string, string | undefined>>): LedgerTarget {
  const raw = given ?? (env.FAILCOST_DB !== undefined && env.FAILCOST_DB !== "" ? env.FAILCOST_DB : DEFAULT_LEDGER);
  if (isPostgresTarget(raw)) return { target: raw, display: redact(raw) };
  const target = isAbsolute(raw) ? raw : resolve(cwd, raw);
  const rel = relative(cwd, target);
  return { target, display: rel !== "" && !rel.startsWith("..") ? rel : target };
}
