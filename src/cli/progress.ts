import type { CliIo } from "./io.js";

/** A progress line on stderr, redrawn at most every 200 ms; silent unless stderr is a terminal. */
export interface ProgressLine {
  update(text: string): void;
  done(): void;
}

/** Starts a progress line for `io` (a no-op when stderr is not a terminal). */
export function createProgressLine(io: CliIo, now: () => number = () => Date.now()): ProgressLine {
  if (io.stderr.isTTY !== true) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const t = now();
      if (t - last < 200) return;
      last = t;
      shown = true;
      io.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) io.stderr.write("\r\x1b[2K");
    },
  };
}

/** `1.2M`, `34k`, `512` */
export function compactCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

/**
 * How far reading has come: a percentage of the total, or the bytes read where the total is not
 * known or already passed (a pipe's size is unknown).
 */
export function readShare(read: number, total: number): string {
  if (total > 0 && read <= total) return `${Math.floor((read / total) * 100)}%`;
  return read >= 1e6 ? `${(read / 1e6).toFixed(1)} MB` : `${Math.round(read / 1e3)} kB`;
}
