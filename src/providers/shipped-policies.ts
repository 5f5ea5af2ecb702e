import { fileURLToPath } from "node:url";
import type { Policy } from "../core/index.js";
import { loadPolicyFile } from "../policies/load-policies.js";

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

let cache: Promise<Policy[]> | undefined;

/** The policies failcost ships, one per provider, sorted by provider (read once per process). */
export function loadShippedPolicies(): Promise<Policy[]> {
  cache ??= Promise.all(SHIPPED_PROVIDERS.map((p) => loadPolicyFile(shippedPolicyFile(p))));
  return cache;
}

/** True when the policy is one failcost ships (not a user's file). */
export function isShippedPolicy(policy: Policy): boolean {
  return policy.origin !== undefined && policy.origin.startsWith(shippedPolicyDir());
}
