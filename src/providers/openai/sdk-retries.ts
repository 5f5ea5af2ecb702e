import type { SdkRetryRule } from "../../core/index.js";

/**
 * The `openai` Node SDK (6.x and 7.x, `src/client.ts` shouldRetry): 2 retries by default on 408,
 * 409, 429, 5xx and connection errors, after 0.5 s then 1 s (up to 25% less), or what
 * `retry-after-ms` / `retry-after` asks. It sends no idempotency key.
 */
export const openaiSdkRetries: SdkRetryRule = {
  provider: "openai",
  sdk: "openai (Node) 6.x / 7.x",
  maxRetries: 2,
  statuses: [408, 409, 429],
  serverErrors: true,
  connectionErrors: true,
  windowMs: 2000,
  howToDisable: "new OpenAI({ maxRetries: 0 })",
  source: "https://github.com/openai/openai-node/blob/master/src/client.ts",
  checked: "2026-11-26",
};
