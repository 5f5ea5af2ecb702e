import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { FileError, messageOf } from "../../errors.js";

/** A text sink that lands in a file all at once: written to a temporary file, renamed on commit. */
export interface OutputFile {
  write(text: string): void;
  /** Renames the temporary file into place. */
  commit(): void;
  /** Removes the temporary file (on failure). */
  abort(): void;
}

/** Starts writing `path` (via `path.tmp-PID`), so a failed export never leaves half a file. */
export function createOutputFile(path: string): OutputFile {
  const tmp = `${path}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(tmp, "w");
  } catch (e) {
    throw new FileError(`cannot write ${path}: ${messageOf(e)}`, path);
  }
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(text) {
      writeSync(fd, text);
    },
    commit() {
      close();
      renameSync(tmp, path);
    },
    abort() {
      close();
      rmSync(tmp, { force: true });
    },
  };
}
