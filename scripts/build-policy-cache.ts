// `npm run build`, after tsc: writes dist/providers/shipped-policies.json, the shipped policies'
// YAML parsed once, each keyed by the SHA-256 of its text. The CLI uses an entry only while the
// YAML still hashes the same, so an edited policy.yaml is read from its text again.
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseDocument } from "yaml";
import { policyTextHash, SHIPPED_PROVIDERS, shippedPolicyFile, type PolicyCache } from "../src/providers/shipped-policies.js";

/** The cache for the shipped policies as they are now. */
export async function buildPolicyCache(): Promise<PolicyCache> {
  const cache: Record<string, { sha256: string; data: unknown }> = {};
  for (const provider of SHIPPED_PROVIDERS) {
    const text = await readFile(shippedPolicyFile(provider), "utf8");
    cache[provider] = { sha256: policyTextHash(text), data: parseDocument(text, { uniqueKeys: true }).toJS() as unknown };
  }
  return cache;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = new URL("../dist/providers/shipped-policies.json", import.meta.url);
  await writeFile(out, JSON.stringify(await buildPolicyCache()));
  console.log(`shipped policies cached: ${SHIPPED_PROVIDERS.length}`);
}
