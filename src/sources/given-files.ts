import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";

/** The path that `-` stands for: standard input. */
export const STDIN_PATH = "/dev/stdin";

/**
 * Files as the user named them: the paths to read, and each path's name as given, for messages.
 * `-` is standard input, named "stdin".
 */
export function givenFiles(cwd: string, files: readonly string[]): { readonly paths: string[]; readonly nameOf: (path: string) => string } {
  const paths = files.map((f) => (f === "-" ? STDIN_PATH : resolve(cwd, f)));
  const names = new Map(paths.map((p, k) => [p, files[k] === "-" ? "stdin" : files[k]!]));
  return { paths, nameOf: (p) => names.get(p) ?? p };
}

/**
 * The first of `paths` that can be read only once (standard input, a pipe, a device), or
 * undefined: a command that reads its inputs twice must refuse it.
 */
export function firstReadOnce(paths: readonly string[]): string | undefined {
  return paths.find((p) => p === STDIN_PATH || (existsSync(p) && !statSync(p).isFile()));
}
