import type { SdkRetryRule } from "../core/index.js";
import { falSdkRetries } from "./fal/sdk-retries.js";
import { lumaSdkRetries } from "./luma/sdk-retries.js";
import { openaiSdkRetries } from "./openai/sdk-retries.js";
import { replicateSdkRetries } from "./replicate/sdk-retries.js";
import { runwaySdkRetries } from "./runway/sdk-retries.js";

/**
 * What each provider's official SDK retries on its own, as data for the audit's `sdk_retries`
 * key and `failcost policies show`. Providers without an official JS SDK read (BFL, Stability,
 * Vertex) have none.
 */
export const SDK_RETRY_RULES: readonly SdkRetryRule[] = [falSdkRetries, lumaSdkRetries, openaiSdkRetries, replicateSdkRetries, runwaySdkRetries];

/** The SDK retry facts of one provider, if failcost knows them. */
export function sdkRetryRule(provider: string): SdkRetryRule | undefined {
  return SDK_RETRY_RULES.find((r) => r.provider === provider);
}
