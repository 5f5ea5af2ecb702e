import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { parse } from "csv-parse";
import { FileError, messageOf } from "../errors.js";
import type { Bill, BillField, BillProblem, BillRow, RowOrigin } from "./bill.js";
import { planColumns, type ColumnPlan } from "./bill-columns.js";
import { readBillRecord, type CellReader } from "./bill-record.js";

/** How to read a bill. */
export interface ReadBillOptions {
  /** `--map`: field → column. */
  readonly map: Partial<Record<BillField, string>>;
  /** The currency of a bill with no currency column (`--currency`). */
  readonly currency?: string;
  /** How to name the file in messages. */
  readonly displayName: string;
}

/** Collects rows, dropping exact repeats (counted once, each reported). */
class RowCollector {
  readonly rows: BillRow[] = [];
  readonly problems: BillProblem[] = [];
  readonly badRowIds: string[] = [];
  private readonly seen = new Map<string, RowOrigin>();
  count = 0;

  constructor(private readonly plan: ColumnPlan, private readonly currency: string | undefined) {}

  add(cell: CellReader, origin: RowOrigin, fingerprint: string): void {
    this.count++;
    const first = this.seen.get(fingerprint);
    if (first !== undefined) {
      this.problems.push({ origin, why: `repeats ${first.unit} ${first.line} exactly; counted once`, kind: "duplicate_row" });
      return;
    }
    this.seen.set(fingerprint, origin);
    const r = readBillRecord(cell, origin, { plan: this.plan, currency: this.currency });
    this.problems.push(...r.problems);
    if (r.row) this.rows.push(r.row);
    else if (r.badRowId !== undefined) this.badRowIds.push(r.badRowId);
  }
}

async function readCsv(path: string, options: ReadBillOptions): Promise<Bill> {
  const file = options.displayName;
  await stat(path).catch((e: unknown) => {
    throw new FileError(`cannot read ${file}: ${messageOf(e)}`, file);
  });
  const raw = createReadStream(path);
  const parser = raw.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  raw.on("error", (e) => parser.destroy(e));
  let header: string[] | undefined;
  let plan: ColumnPlan | undefined;
  let rows: RowCollector | undefined;
  let index = new Map<string, number>();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((h) => h.trim());
        plan = planColumns(header, options.map, file);
        rows = new RowCollector(plan, options.currency);
        index = new Map(header.map((h, i) => [h, i]));
        continue;
      }
      const origin: RowOrigin = { file, line: info.lines, unit: "line" };
      if (record.length !== header.length) {
        rows!.count++;
        rows!.problems.push({ origin, why: `has ${record.length} fields, the header has ${header.length}`, kind: "bad_row" });
        continue;
      }
      rows!.add((c) => record[index.get(c)!], origin, JSON.stringify(record));
    }
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`${file}: not readable as CSV: ${messageOf(e)}`, file);
  }
  if (!header || !plan || !rows) throw new FileError(`${file}: the bill is empty (no header line)`, file);
  return { file, format: plan.focus ? "focus" : "csv", rows: rows.rows, problems: rows.problems, columns: plan.columns, ignoredColumns: plan.ignored, rowCount: rows.count, badRowIds: rows.badRowIds };
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Field names of an object, nested objects as dotted paths (`cost.total`). */
function paths(o: Obj, prefix = "", out: Set<string> = new Set()): Set<string> {
  for (const [k, v] of Object.entries(o)) {
    if (isObj(v)) paths(v, `${prefix}${k}.`, out);
    else out.add(`${prefix}${k}`);
  }
  return out;
}

function at(o: Obj, path: string): unknown {
  if (path in o) return o[path];
  let v: unknown = o;
  for (const k of path.split(".")) v = isObj(v) ? v[k] : undefined;
  return v;
}

const LIST_KEYS = ["data", "rows", "items", "charges", "results", "records", "usage"];

async function readJson(path: string, options: ReadBillOptions): Promise<Bill> {
  const file = options.displayName;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new FileError(`cannot read ${file}: ${messageOf(e)}`, file);
  }
  const items: { value: unknown; origin: RowOrigin }[] = [];
  const trimmed = text.trimStart();
  let format: Bill["format"] = "json";
  let whole: unknown;
  try {
    whole = trimmed.startsWith("[") || trimmed.startsWith("{") ? JSON.parse(text) : undefined;
  } catch {
    whole = undefined;
  }
  const list = Array.isArray(whole) ? whole : isObj(whole) ? LIST_KEYS.map((k) => whole[k]).find(Array.isArray) : undefined;
  if (list) list.forEach((value, i) => items.push({ value, origin: { file, line: i + 1, unit: "item" } }));
  else {
    // JSON Lines: one object a line.
    format = "jsonl";
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        if (i === 0 && !isObj(whole)) throw new FileError(`${file}: not a JSON array of charges, an object with a "data" list, nor JSON Lines (${messageOf(e)})`, file);
        value = { __not_json: messageOf(e) };
      }
      items.push({ value, origin: { file, line: i + 1, unit: "line" } });
    }
  }
  const header = new Set<string>();
  for (const it of items) if (isObj(it.value) && !("__not_json" in it.value)) paths(it.value, "", header);
  const plan = planColumns([...header], options.map, file);
  const rows = new RowCollector(plan, options.currency);
  for (const it of items) {
    const v = it.value;
    if (!isObj(v) || "__not_json" in v) {
      rows.count++;
      rows.problems.push({ origin: it.origin, why: isObj(v) ? `not JSON (${String(v.__not_json)})` : "not a JSON object", kind: "bad_row" });
      continue;
    }
    rows.add((c) => at(v, c), it.origin, JSON.stringify(v));
  }
  return { file, format: plan.focus ? "focus" : format, rows: rows.rows, problems: rows.problems, columns: plan.columns, ignoredColumns: plan.ignored, rowCount: rows.count, badRowIds: rows.badRowIds };
}

/**
 * Reads a provider's bill: CSV (FOCUS CSV is recognised by its columns), a JSON array (or an
 * object with a `data`/`rows`/`items` list), or JSON Lines. Every row is read or reported:
 * bad rows name their line and column, exact repeats are counted once and listed.
 */
export async function readBill(path: string, options: ReadBillOptions): Promise<Bill> {
  const ext = extname(path).toLowerCase();
  if (ext === ".json" || ext === ".jsonl" || ext === ".ndjson") return readJson(path, options);
  return readCsv(path, options);
}
