import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parsePolicy, type Policy } from "../core/index.js";
import { FileError, messageOf } from "../errors.js";
import { parsePolicyText } from "../policies/load-policies.js";

/** The providers failcost ships a policy for, one folder each under src/providers. */
export const SHIPPED_PROVIDERS = ["bfl", "fal", "luma", "openai", "replicate", "runway", "stability", "vertex"] as const;

/**
 * The folder holding the shipped `<provider>/policy.yaml` files. The YAML stays in src (the
 * package ships it), and this path works from both src/providers and dist/providers.
 */
export function shippedPolicyDir(from: string = import.meta.url): string {
  return fileURLToPath(new URL("../../src/providers/", from));
}

/** The file of one shipped policy. */
export function shippedPolicyFile(provider: string): string {
  return `${shippedPolicyDir()}${provider}/policy.yaml`;
}

/**
 * The shipped policies as parsed data, written beside the built module by `npm run build`
 * (scripts/build-policy-cache.ts), each with the SHA-256 of the YAML text it came from.
 */
export type PolicyCache = Readonly<Record<string, { readonly sha256: string; readonly data: unknown }>>;

/** Where the build writes the cache: beside this module in dist (absent when running from src). */
export const POLICY_CACHE_URL = new URL("./shipped-policies.json", import.meta.url);

/** The SHA-256 of a policy file's text, hex. */
export function policyTextHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

async function readCache(url: URL): Promise<PolicyCache> {
  try {
    return JSON.parse(await readFile(url, "utf8")) as PolicyCache;
  } catch {
    return {};
  }
}

/**
 * Reads one shipped policy: from the build's cache when it holds this very text (parsing YAML
 * is most of a small audit's start-up), else from the YAML itself.
 */
async function loadShipped(provider: string, cache: PolicyCache): Promise<Policy> {
  const file = shippedPolicyFile(provider);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new FileError(`cannot read policy ${file}: ${messageOf(e)}`, file);
  }
  const cached = cache[provider];
  if (cached !== undefined && cached.sha256 === policyTextHash(text)) {
    const result = parsePolicy(cached.data);
    if (result.ok) return { ...result.policy, origin: file };
  }
  return parsePolicyText(text, file);
}

let loaded: Promise<Policy[]> | undefined;

/**
 * The policies failcost ships, one per provider, sorted by provider (read once per process).
 * `cacheUrl` names another cache (tests).
 */
export function loadShippedPolicies(cacheUrl?: URL): Promise<Policy[]> {
  const load = (url: URL): Promise<Policy[]> => readCache(url).then((cache) => Promise.all(SHIPPED_PROVIDERS.map((p) => loadShipped(p, cache))));
  if (cacheUrl !== undefined) return load(cacheUrl);
  loaded ??= load(POLICY_CACHE_URL);
  return loaded;
}

/** True when the policy is one failcost ships (not a user's file). */
export function isShippedPolicy(policy: Policy): boolean {
  return policy.origin !== undefined && policy.origin.startsWith(shippedPolicyDir());
}
