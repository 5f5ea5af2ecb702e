import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import type { Policy } from "../../core/index.js";
import { PolicyError, UsageError, isFailcostError } from "../../errors.js";
import { loadPolicyFile } from "../../policies/load-policies.js";
import { checklistRow } from "../../providers/checklist.js";
import { renderChecklist, renderPolicyShow, type ShownRow } from "../../providers/checklist-text.js";
import { sdkRetryRule } from "../../providers/sdk-retry-rules.js";
import { isShippedPolicy, loadShippedPolicies, shippedPolicyFile } from "../../providers/shipped-policies.js";
import type { CliIo } from "../io.js";
import { resolvePolicies } from "../resolve-policies.js";

/** The policies command's options, as parsed. */
export interface PoliciesCommandOptions {
  readonly policies?: string[];
  readonly json?: boolean;
  readonly yaml?: boolean;
}

function shownRow(policy: Policy, cwd: string): ShownRow {
  const shipped = isShippedPolicy(policy);
  const sdk = sdkRetryRule(policy.provider);
  return {
    ...checklistRow(policy, shipped, sdk),
    origin: shipped ? "shipped" : "yours",
    ...(policy.origin && !shipped ? { file: relative(cwd, policy.origin) || policy.origin } : {}),
    ...(policy.checked ? { checked: policy.checked } : {}),
  };
}

const json = (io: CliIo, value: unknown): void => void io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** `failcost policies`: the checklist table of every provider (shipped, or your file over it). */
async function list(opts: PoliciesCommandOptions, io: CliIo): Promise<number> {
  const { policies } = await resolvePolicies(opts.policies, [], io.cwd);
  const rows = policies.map((p) => shownRow(p, io.cwd));
  if (opts.json) json(io, { providers: rows });
  else io.stdout.write(renderChecklist(rows));
  return 0;
}

/** `failcost policies show <provider>`: answers, sources, dates, SDK warnings (or the YAML). */
async function show(provider: string | undefined, opts: PoliciesCommandOptions, io: CliIo): Promise<number> {
  if (!provider) throw new UsageError("give a provider: failcost policies show replicate");
  // `show P --yaml > policies/P.yaml` empties that file before this runs: without --policies, a
  // ./policies that does not read is noted and skipped, and the shipped file is what was asked for.
  const mine = await resolvePolicies(opts.policies, [], io.cwd).catch((e: unknown) => {
    if (!opts.yaml || opts.policies !== undefined || !isFailcostError(e)) throw e;
    io.stderr.write(`note: ./policies is not read (${e.message.split("\n")[0]}); showing the policy failcost ships\n`);
    return undefined;
  });
  const policies = mine?.policies ?? (await loadShippedPolicies());
  const policy = policies.find((p) => p.provider === provider);
  if (!policy) throw new UsageError(`no policy for provider '${provider}': failcost knows ${policies.map((p) => p.provider).join(", ")}`);
  if (opts.yaml) {
    io.stdout.write(await readFile(policy.origin ?? shippedPolicyFile(provider), "utf8"));
    return 0;
  }
  const row = shownRow(policy, io.cwd);
  if (opts.json) json(io, { ...row, sources: policy.sources, notes: policy.notes ?? null, prices: policy.prices });
  else io.stdout.write(renderPolicyShow(row, policy.notes));
  return 0;
}

/** One line of a PolicyError (`file:line: key: expected …`) as data, for `--json`. */
function issueOf(line: string): { line?: number; key?: string; message: string } {
  const m = /^.*?:(\d+): ([^:]+): (.*)$/.exec(line);
  return m ? { line: Number(m[1]), key: m[2]!, message: m[3]! } : { message: line };
}

/**
 * `failcost policies check <file>`: validates a policy file. Every issue names the file, line
 * and key; an invalid file exits 2. A valid one says what it overrides and what stays unknown.
 */
async function check(file: string | undefined, opts: PoliciesCommandOptions, io: CliIo): Promise<number> {
  if (!file) throw new UsageError("give a policy file: failcost policies check ./my-policy.yaml");
  const path = resolve(io.cwd, file);
  let policy: Policy;
  try {
    policy = await loadPolicyFile(path);
  } catch (e) {
    if (opts.json && isFailcostError(e) && e instanceof PolicyError) {
      const rel = (s: string): string => s.split(path).join(file);
      json(io, { file, ok: false, issues: e.message.split("\n").map((l) => issueOf(rel(l))) });
      return 2;
    }
    if (isFailcostError(e)) throw new PolicyError(e.message.split(path).join(file), file);
    throw e;
  }
  const shipped = (await loadShippedPolicies()).find((p) => p.provider === policy.provider);
  const row = checklistRow(policy, false);
  const notes: string[] = [];
  if (shipped) notes.push(`it replaces the policy failcost ships for '${policy.provider}' whole (answers it leaves out are unknown)`);
  // Spec §3: each policy names its sources and the date they were checked.
  if (policy.sources.length === 0) notes.push("it names no sources: add `sources:` (the addresses its answers come from)");
  if (!policy.checked) notes.push("it has no `checked:` date (when the sources were read)");
  if (policy.prices.length === 0) notes.push("it has no prices: attempts of this provider will not be priced");
  else if (!policy.prices.some((r) => r.pattern === "*")) notes.push(`it prices ${policy.prices.length} model pattern(s) and has no "*" default`);
  const unknown = (["failed", "canceled", "timed_out", "rejected", "polls"] as const).filter((k) => row.answers[k].answer === "unknown");
  if (unknown.length > 0) notes.push(`unknown (ranges in the audit): ${unknown.join(", ")}`);
  if (opts.json) json(io, { file, ok: true, provider: policy.provider, notes });
  else io.stdout.write(`${file}: a valid policy for '${policy.provider}'\n${notes.map((n) => `  ${n}\n`).join("")}`);
  return 0;
}

/** `failcost policies [show <provider> | check <file>]`. */
export async function policiesCommand(args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as PoliciesCommandOptions;
  const [action, target] = args as (string | undefined)[];
  if (action === undefined || action === "list") return list(opts, io);
  if (action === "show") return show(target, opts, io);
  if (action === "check") return check(target, opts, io);
  throw new UsageError(`unknown policies action '${action}': use failcost policies, failcost policies show <provider>, or failcost policies check <file>`);
}
