import type { EventRecord, LineScanner } from "./line-scanner.js";
import { isBlank, parseJsonLine } from "./read-json-lines.js";

/** The line was scanned into the record (its fields and `at` are set). */
export const SCANNED = Symbol("scanned");
/** The line holds only spaces and tabs. */
export const BLANK = Symbol("blank");

/** How one line of an event file reads: see `readLine`. */
export type LineRead = typeof SCANNED | typeof BLANK | { readonly value: unknown } | { readonly notJson: string };

/**
 * Reads one line of an event file: blank, or scanned into `record` by the byte scanner (the
 * common shape), or else parsed by `JSON.parse`, or why it is not JSON. Every line reads
 * exactly as `JSON.parse` would read it, for the fields failcost reads.
 */
export function readLine(scanner: LineScanner, record: EventRecord, buf: Buffer, start: number, end: number): LineRead {
  if (isBlank(buf, start, end)) return BLANK;
  if (scanner.scan(buf, start, end, record) && record.at === record.at) return SCANNED;
  return parseJsonLine(buf, start, end);
}
