import { providerFormat, type ProviderFormat } from "../providers/index.js";

export type { ProviderFormat } from "../providers/index.js";

/** The body format of a provider (src/providers), or undefined where failcost has none. */
export function formatFor(provider: string): ProviderFormat | undefined {
  return providerFormat(provider);
}
