import type { Audit, Origin } from "../core/index.js";
import { createEventRecord, LineScanner } from "./line-scanner.js";
import { isBlank, notJson } from "./read-json-lines.js";
import { readLines, type LineRange } from "./read-lines.js";

/**
 * Feeds one file's lines into an audit: the fast scanner for the common line shape, JSON.parse
 * for the rest, so every line is read exactly as JSON.parse would read it.
 */
export async function feedFile(
  audit: Audit,
  file: string,
  name: string,
  onProgress?: (bytesRead: number, lines: number) => void,
  range?: LineRange,
  task?: number,
): Promise<number> {
  const scanner = new LineScanner();
  const record = createEventRecord();
  let lines = 0;
  // Problems in a range are numbered within it, and tagged with the task to renumber later.
  const origin = (line: number): Origin => (task === undefined ? { file: name, line } : { file: name, line, task });
  return readLines(
    file,
    (buf, start, end, line) => {
      lines = line;
      if (isBlank(buf, start, end)) return;
      if (scanner.scan(buf, start, end, record) && record.at === record.at) {
        audit.addRecord(record as unknown as Record<string, unknown>, record.at, name, line, task);
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(buf.toString("utf8", start, end));
      } catch (e) {
        audit.addProblem(origin(line), notJson(e));
        return;
      }
      audit.addValue(value, origin(line));
    },
    onProgress ? (read) => onProgress(read, lines) : undefined,
    range,
  );
}

