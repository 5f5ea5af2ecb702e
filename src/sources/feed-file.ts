import type { Audit, Origin } from "../core/index.js";
import { createEventRecord, LineScanner } from "./line-scanner.js";
import { BLANK, readLine, SCANNED } from "./read-line.js";
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
      const r = readLine(scanner, record, buf, start, end);
      if (r === BLANK) return;
      if (r === SCANNED) audit.addRecord(record as unknown as Record<string, unknown>, record.at, name, line, task);
      else if ("notJson" in r) audit.addProblem(origin(line), r.notJson);
      else audit.addValue(r.value, origin(line));
    },
    onProgress ? (read) => onProgress(read, lines) : undefined,
    range,
    name,
  );
}

