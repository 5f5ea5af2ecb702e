import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { formatPolicyIssue, parsePolicy, type Policy, type PolicyIssue } from "../core/index.js";
import { FileError, PolicyError, messageOf } from "../errors.js";

const POLICY_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Splits an issue key (`prices["a/b*"].per_job`, `bills.rejected[0]`) into a YAML path. */
export function keyToPath(key: string): (string | number)[] {
  const path: (string | number)[] = [];
  const re = /([A-Za-z_*][A-Za-z0-9_*]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of key.matchAll(re)) {
    if (m[1] !== undefined) path.push(m[1]);
    else if (m[2] !== undefined) path.push(Number(m[2]));
    else if (m[3] !== undefined) path.push(JSON.parse(m[3]) as string);
  }
  return path;
}

/** Reads and checks one policy file (YAML or JSON). Throws PolicyError naming the file, line and key. */
export async function loadPolicyFile(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new FileError(`cannot read policy ${file}: ${messageOf(e)}`, file);
  }
  return parsePolicyText(text, file);
}

/** Checks policy text; `file` names it in messages. Throws PolicyError. */
export function parsePolicyText(text: string, file: string): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new PolicyError(`${file}${pos ? `:${pos.line}` : ""}: not valid YAML or JSON: ${e.message.split("\n")[0]}`, file);
  }
  const result = parsePolicy(doc.toJS());
  if (result.ok) return { ...result.policy, origin: file };
  const where = (issue: PolicyIssue): string => {
    const path = keyToPath(issue.key);
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const at = node?.range?.[0];
      if (at !== undefined) return `${file}:${lines.linePos(at).line}`;
    }
    return file;
  };
  const message = result.issues.map((i) => `${where(i)}: ${formatPolicyIssue(i)}`).join("\n");
  throw new PolicyError(message, file);
}

async function policyFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await policyFilesIn(p)));
    else if (POLICY_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(p);
  }
  return out;
}

/**
 * Loads policies from files and folders (folders are searched for .yaml, .yml and .json).
 * Two policies for one provider in the same set is an error: which one wins would be a guess.
 */
export async function loadPolicies(paths: readonly string[]): Promise<Policy[]> {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      throw new FileError(`cannot read policies at ${p}: ${messageOf(e)}`, p);
    }
    files.push(...(st.isDirectory() ? await policyFilesIn(p) : [p]));
  }
  const byProvider = new Map<string, Policy>();
  for (const f of files) {
    const policy = await loadPolicyFile(f);
    const prior = byProvider.get(policy.provider);
    if (prior) throw new PolicyError(`${f}: a second policy for provider '${policy.provider}' (the first is ${prior.origin}); keep one`, f);
    byProvider.set(policy.provider, policy);
  }
  return [...byProvider.values()];
}

/** Layers policy sets: a provider's policy in a later set replaces the earlier one whole. */
export function overridePolicies(...sets: readonly (readonly Policy[])[]): Policy[] {
  const byProvider = new Map<string, Policy>();
  for (const set of sets) for (const p of set) byProvider.set(p.provider, p);
  return [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}
