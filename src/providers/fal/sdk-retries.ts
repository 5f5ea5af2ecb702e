import type { SdkRetryRule } from "../../core/index.js";

/**
 * `@fal-ai/client` (1.10.1, `src/queue.ts` QUEUE_RETRY_CONFIG and `src/retry.ts`): a queue
 * submit is retried 3 times on 429, 502, 503, 504 and transport errors, after 1 s, 2 s, 4 s
 * (±25% jitter).
 */
export const falSdkRetries: SdkRetryRule = {
  provider: "fal",
  sdk: "@fal-ai/client 1.10.1",
  maxRetries: 3,
  statuses: [429, 502, 503, 504],
  serverErrors: false,
  connectionErrors: true,
  windowMs: 6000,
  howToDisable: "no switch in 1.10.1 (queue.submit always uses its own retry settings): call the queue HTTP API yourself",
  source: "https://github.com/fal-ai/fal-js/blob/main/libs/client/src/retry.ts",
  checked: "2026-11-26",
};
