import { bflFormat } from "./bfl/format.js";
import { falFormat } from "./fal/format.js";
import { lumaFormat } from "./luma/format.js";
import { openaiFormat } from "./openai/format.js";
import { replicateFormat } from "./replicate/format.js";
import { runwayFormat } from "./runway/format.js";
import { stabilityFormat } from "./stability/format.js";
import type { ProviderFormat } from "./types.js";
import { vertexFormat } from "./vertex/format.js";

export type { Headers, JobObjectFacts, ProviderFormat } from "./types.js";
export { bflFormat, falFormat, lumaFormat, openaiFormat, replicateFormat, runwayFormat, stabilityFormat, vertexFormat };
export { SDK_RETRY_RULES, sdkRetryRule } from "./sdk-retry-rules.js";

/** Every provider format failcost knows, by provider name (the events' `provider`). */
export const PROVIDER_FORMATS: Readonly<Record<string, ProviderFormat>> = {
  bfl: bflFormat,
  fal: falFormat,
  luma: lumaFormat,
  openai: openaiFormat,
  replicate: replicateFormat,
  runway: runwayFormat,
  stability: stabilityFormat,
  vertex: vertexFormat,
};

/** The format of a provider, or undefined where failcost has none. */
export function providerFormat(provider: string): ProviderFormat | undefined {
  return Object.hasOwn(PROVIDER_FORMATS, provider) ? PROVIDER_FORMATS[provider] : undefined;
}
