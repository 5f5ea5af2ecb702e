import { LedgerError } from "../../errors.js";

/** A PostgreSQL ledger's address: the connection string for the driver, and the schema. */
export interface PostgresTarget {
  readonly connectionString: string;
  /** A plain identifier (letters, digits, underscores), safe to quote into SQL. */
  readonly schema: string;
  /** The URL without its password, for messages. */
  readonly display: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Reads `postgres://user:pass@host:port/db?schema=name`: `schema` defaults to `failcost`. */
export function parsePostgresTarget(target: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new LedgerError("the PostgreSQL ledger URL is not a URL (expected postgres://user@host:5432/database)", "postgres");
  }
  const schema = url.searchParams.get("schema") ?? "failcost";
  url.searchParams.delete("schema");
  const shown = new URL(url.href);
  if (shown.password !== "") shown.password = "***";
  const display = shown.href;
  if (!IDENTIFIER.test(schema)) throw new LedgerError(`schema ${JSON.stringify(schema)} in ${display}: use letters, digits and underscores`, display);
  return { connectionString: url.href, schema, display };
}
