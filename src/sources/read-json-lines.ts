import { messageOf } from "../errors.js";
import { readLines, type ProgressListener } from "./read-lines.js";

export type { ProgressListener } from "./read-lines.js";

/**
 * One line of a JSON Lines file: its parsed value, or why it is not JSON. A visitor that returns
 * a promise pauses reading until it settles (backpressure, e.g. while a batch is written).
 */
export type JsonLineVisitor = (value: unknown, line: number, error: string | undefined) => void | Promise<void>;

/** Why a line is not JSON, from JSON.parse's message. */
export function notJson(e: unknown): string {
  return `not JSON (${messageOf(e).replace(/^Unexpected token/, "unexpected token")})`;
}

/** True when the bytes are only spaces and tabs. */
export function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** One line's JSON value, or why it is not JSON. */
export function parseJsonLine(buf: Buffer, start: number, end: number): { readonly value: unknown } | { readonly notJson: string } {
  try {
    return { value: JSON.parse(buf.toString("utf8", start, end)) as unknown };
  } catch (e) {
    return { notJson: notJson(e) };
  }
}

/**
 * Streams a JSON Lines file (plain or gzip, told by its first bytes) line by line, in constant
 * memory. Blank lines are skipped; a line that is not JSON is passed on with why.
 * Throws FileError when the file cannot be read or its gzip data is corrupt, naming it as
 * `name` (default: the path).
 */
export async function readJsonLines(path: string, visit: JsonLineVisitor, onProgress?: ProgressListener, name = path): Promise<number> {
  return readLines(
    path,
    (buf, start, end, line) => {
      if (isBlank(buf, start, end)) return;
      const r = parseJsonLine(buf, start, end);
      return "notJson" in r ? visit(undefined, line, r.notJson) : visit(r.value, line, undefined);
    },
    onProgress,
    undefined,
    name,
  );
}
