import { resolve } from "node:path";

/** Files as the user named them: the paths to read, and each path's name as given, for messages. */
export function givenFiles(cwd: string, files: readonly string[]): { readonly paths: string[]; readonly nameOf: (path: string) => string } {
  const paths = files.map((f) => resolve(cwd, f));
  const names = new Map(paths.map((p, k) => [p, files[k]!]));
  return { paths, nameOf: (p) => names.get(p) ?? p };
}
