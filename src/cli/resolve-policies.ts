import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Policy } from "../core/index.js";
import { loadPolicies, overridePolicies } from "../policies/load-policies.js";
import { loadShippedPolicies } from "../providers/shipped-policies.js";

/**
 * The policies an audit uses: `--policies` if given; else `./policies` in the working folder;
 * else a `policies/` folder beside the first event file (so `failcost audit examples/events.jsonl`
 * finds `examples/policies/`). The policies failcost ships are the base layer: a user's policy
 * for a provider replaces the shipped one whole. Returns the policies and where the user's came from.
 */
export async function resolvePolicies(given: readonly string[] | undefined, files: readonly string[], cwd: string): Promise<{ policies: Policy[]; from: string[] }> {
  let paths: string[] = [];
  if (given && given.length > 0) paths = given.map((p) => resolve(cwd, p));
  else {
    const candidates = [join(cwd, "policies"), ...(files[0] ? [join(dirname(resolve(cwd, files[0])), "policies")] : [])];
    const found = candidates.find((c) => existsSync(c) && statSync(c).isDirectory());
    if (found) paths = [found];
  }
  const user = paths.length > 0 ? await loadPolicies(paths) : [];
  return { policies: overridePolicies(await loadShippedPolicies(), user), from: paths };
}
