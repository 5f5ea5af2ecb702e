import type { Command } from "commander";

/** `failcost fake-provider`'s options. */
export function defineFakeProvider(cmd: Command): void {
  cmd
    .option("--port <n>", "port on 127.0.0.1 (default: any free one)")
    .option("--seed <n>", "every random choice follows from it", "1")
    .option("--rate-limit <share>", "share of creates answered 429 with Retry-After")
    .option("--unavailable <share>", "share of creates answered 503")
    .option("--invalid-input <share>", "share of inputs refused (422/400), on every try")
    .option("--auth <share>", "share of inputs refused 401, on every try")
    .option("--failed <share>", "share of jobs that fail halfway")
    .option("--slow <share>", "share of jobs that run --slow-seconds")
    .option("--run-seconds <min-max>", "a job's run time in seconds", "1-5")
    .option("--slow-seconds <min-max>", "a slow job's run time in seconds", "60-120")
    .option("--latency <min-max>", "response latency in ms", "5-20")
    .option("--retry-after <seconds>", "Retry-After of a 429", "1")
    .option("--webhook-secret <whsec>", "sign Replicate-shaped webhooks with this Standard Webhooks secret");
}

/** `failcost demo`'s options. */
export function defineDemo(cmd: Command): void {
  cmd
    .option("--seed <n>", "the run repeats exactly under a seed", "42")
    .option("--jobs <n>", "how many jobs", "300")
    .option("--json", "print the figures as JSON")
    .option("--http", "reach the fake provider over HTTP on 127.0.0.1 (slower; default in process)");
}
