import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { isObject } from "../object-fields.js";

/** One object read from an import file, with where it was. */
export interface ReadObject {
  readonly value: unknown;
  /** A line number (JSON Lines) or an item number in a whole JSON document. */
  readonly at: string;
}

/** A line or document that is not JSON. */
export interface ReadProblem {
  readonly at: string;
  readonly why: string;
}

/** Keys under which list responses carry their items (Replicate, OpenAI, Luma, generic). */
const LIST_KEYS = ["results", "data", "generations", "items", "tasks", "predictions"] as const;

/**
 * The items of a value: an array's elements, a list response's items (`{results: […]}`,
 * `{object: "list", data: […]}`, `{generations: […]}`), else the value itself. A list response
 * is an object without `id`/`status` whose single array-valued list key holds objects. An
 * OpenAI Images response (`{created: <time>, data: [images]}`) is one response, not a list.
 */
export function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(itemsOf);
  if (isObject(value) && value.id === undefined && value.status === undefined && value.body === undefined && typeof value.created !== "number") {
    const lists = LIST_KEYS.filter((k) => Array.isArray(value[k]));
    if (lists.length === 1 && (value[lists[0]!] as unknown[]).every(isObject)) return value[lists[0]!] as unknown[];
  }
  return [value];
}

/**
 * Reads an import file: JSON Lines (one object, or one list response, a line) streamed line by
 * line, or, when the first line is not a whole JSON value, one JSON document (a pretty-printed
 * list response or array). Calls `onObject` for each item and `onProblem` for what is not JSON.
 */
export async function readObjects(input: Readable, onObject: (o: ReadObject) => void, onProblem: (p: ReadProblem) => void): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let mode: "lines" | "document" | undefined;
  const held: string[] = [];
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (mode === "document") {
      held.push(raw);
      continue;
    }
    const line = n === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (line.trim() === "") continue;
    if (mode === undefined && !isJson(line)) {
      mode = "document";
      held.push(...Array.from({ length: n - 1 }, () => ""), line);
      continue;
    }
    mode = "lines";
    readLine(line, n, onObject, onProblem);
  }
  if (mode !== "document") return;
  let doc: unknown;
  try {
    doc = JSON.parse(held.join("\n"));
  } catch {
    // Not one document either: JSON Lines whose first line is broken. Read them one by one.
    held.forEach((line, i) => readLine(line, i + 1, onObject, onProblem));
    return;
  }
  itemsOf(doc).forEach((item, i) => onObject({ value: item, at: `item ${i + 1}` }));
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function readLine(line: string, n: number, onObject: (o: ReadObject) => void, onProblem: (p: ReadProblem) => void): void {
  if (line.trim() === "") return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    onProblem({ at: `line ${n}`, why: `not JSON (${(e as Error).message})` });
    return;
  }
  for (const item of itemsOf(value)) onObject({ value: item, at: `line ${n}` });
}
