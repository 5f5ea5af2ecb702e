import { falFormat } from "./fal/format.js";
import { openaiFormat } from "./openai/format.js";
import { replicateFormat } from "./replicate/format.js";
import type { ProviderFormat } from "./types.js";

export type { Headers, JobObjectFacts, ProviderFormat } from "./types.js";
export { falFormat, openaiFormat, replicateFormat };

/** Every provider format failcost knows, by provider name (the events' `provider`). */
export const PROVIDER_FORMATS: Readonly<Record<string, ProviderFormat>> = {
  fal: falFormat,
  openai: openaiFormat,
  replicate: replicateFormat,
};

/** The format of a provider, or undefined where failcost has none. */
export function providerFormat(provider: string): ProviderFormat | undefined {
  return Object.hasOwn(PROVIDER_FORMATS, provider) ? PROVIDER_FORMATS[provider] : undefined;
}
