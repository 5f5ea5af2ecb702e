import pg from "pg";
import { integerText } from "../integer-text.js";

/** One value of a COPY row: text, a number, or null. */
export type CopyValue = string | number | null;

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A value in COPY's text format: `\N` for null, backslash escapes for the rest. */
function field(v: CopyValue): string {
  if (v === null) return "\\N";
  if (typeof v === "number") return integerText(v);
  return SPECIAL.test(v) ? v.replace(SPECIALS, (c) => ESCAPES[c]!) : v;
}

/** The rows as COPY text: tab-separated fields, one line a row (built without arrays: hot). */
export function copyText(rows: readonly (readonly CopyValue[])[]): string {
  let out = "";
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) out += i === 0 ? field(row[i]!) : `\t${field(row[i]!)}`;
    out += "\n";
  }
  return out;
}

const CHUNK = 1 << 20;

/**
 * `COPY … FROM STDIN` with node-postgres's own query machinery (no extra package): a query
 * whose copy-in step sends the data. Several times faster than a multi-row INSERT for the
 * thousands of rows of one batch.
 */
class CopyIn extends pg.Query {
  constructor(
    sql: string,
    private readonly data: Buffer,
    private readonly onSent: () => void,
  ) {
    super(sql);
  }

  /** Called by the client when the server is ready for the rows. */
  handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }): void {
    for (let at = 0; at < this.data.length; at += CHUNK) connection.sendCopyFromChunk(this.data.subarray(at, at + CHUNK));
    connection.endCopyFrom();
    this.onSent();
  }
}

/** Copies rows into `table` (a temporary staging table) and resolves with how many went in. */
export function copyRows(client: pg.ClientBase, table: string, rows: readonly (readonly CopyValue[])[]): Promise<number> {
  return copyTextIn(client, table, copyText(rows));
}

/** Copies rows already in COPY text (see `copyText`) into `table`; resolves with how many. */
export function copyTextIn(client: pg.ClientBase, table: string, text: string): Promise<number> {
  return startCopyIn(client, table, text).done;
}

/**
 * Starts copying rows in COPY text into `table` (queued behind the client's earlier queries):
 * `sent` resolves once every row is on its way to the server, `done` with how many went in.
 * Between the two the server works alone: the time to build the next rows.
 */
export function startCopyIn(client: pg.ClientBase, table: string, text: string): { readonly sent: Promise<void>; readonly done: Promise<number> } {
  let sent!: () => void;
  const onSent = new Promise<void>((resolve) => (sent = resolve));
  const done = new Promise<number>((resolve, reject) => {
    const query = new CopyIn(`COPY ${table} FROM STDIN`, Buffer.from(text), sent);
    (query as unknown as { callback: (err: Error | null, res?: pg.QueryResult) => void }).callback = (err, res) => (err ? reject(err) : resolve(res?.rowCount ?? 0));
    void client.query(query);
  });
  // A copy that fails before its rows are sent (an aborted transaction) has nothing to wait for.
  return { sent: Promise.race([onSent, done.then(() => undefined, () => undefined)]), done };
}
