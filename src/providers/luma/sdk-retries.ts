import type { SdkRetryRule } from "../../core/index.js";

/**
 * The `lumaai` Node SDK (`src/index.ts` maxRetries default 2, `src/core.ts` shouldRetry):
 * retries on 408, 409, 429, 5xx and connection errors, after 0.5 s then 1 s (up to 25% less),
 * or a `retry-after` under 60 s.
 */
export const lumaSdkRetries: SdkRetryRule = {
  provider: "luma",
  sdk: "lumaai (Node)",
  maxRetries: 2,
  statuses: [408, 409, 429],
  serverErrors: true,
  connectionErrors: true,
  windowMs: 2000,
  howToDisable: "new LumaAI({ maxRetries: 0 })",
  source: "https://github.com/lumalabs/lumaai-node/blob/main/src/core.ts",
  checked: "2026-11-26",
};
