import type { SdkRetryRule } from "../../core/index.js";

/**
 * The `replicate` JS client (1.4.0, `lib/util.js` withAutomaticRetries): a create (POST) is
 * retried on 429 and on network errors, up to 5 times, with effectively no backoff (the sleep
 * only runs for an integer delay, which jitter almost never gives).
 */
export const replicateSdkRetries: SdkRetryRule = {
  provider: "replicate",
  sdk: "replicate (JS) 1.4.0",
  maxRetries: 5,
  statuses: [429],
  serverErrors: false,
  connectionErrors: true,
  windowMs: 1000,
  howToDisable: "no option in 1.4.0: call the HTTP API directly to control retries",
  source: "https://github.com/replicate/replicate-javascript/blob/main/lib/util.js",
  checked: "2026-11-26",
};
