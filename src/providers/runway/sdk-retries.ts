import type { SdkRetryRule } from "../../core/index.js";

/**
 * `@runwayml/sdk` (4.12.0, generated like openai-node): 2 retries by default on 408, 409, 429,
 * 5xx and connection errors; "requests which time out will be retried twice by default".
 */
export const runwaySdkRetries: SdkRetryRule = {
  provider: "runway",
  sdk: "@runwayml/sdk 4.12.0",
  maxRetries: 2,
  statuses: [408, 409, 429],
  serverErrors: true,
  connectionErrors: true,
  windowMs: 2000,
  howToDisable: "new RunwayML({ maxRetries: 0 })",
  source: "https://github.com/runwayml/sdk-node/blob/main/src/client.ts",
  checked: "2026-11-26",
};
