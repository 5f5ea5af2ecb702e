import { UsageError } from "../../errors.js";
import { startFakeProvider } from "../../fake-provider/server.js";
import type { CliIo } from "../io.js";
import { parseAmount, parseCount } from "../options.js";

/** The fake-provider command's options, as parsed. */
export interface FakeProviderCommandOptions {
  readonly port?: string;
  readonly seed?: string;
  readonly rateLimit?: string;
  readonly unavailable?: string;
  readonly invalidInput?: string;
  readonly auth?: string;
  readonly failed?: string;
  readonly slow?: string;
  readonly runSeconds?: string;
  readonly slowSeconds?: string;
  readonly latency?: string;
  readonly retryAfter?: string;
  readonly webhookSecret?: string;
}

function share(flag: string, value: string | undefined): number | undefined {
  const n = parseAmount(flag, value);
  if (n !== undefined && n > 1) throw new UsageError(`${flag} ${value}: expected a share between 0 and 1`);
  return n;
}

function range(flag: string, value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(value);
  if (!m) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a number or a range like 2-10`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (hi < lo) throw new UsageError(`${flag} ${value}: the range ends before it starts`);
  return [lo, hi];
}

/**
 * `failcost fake-provider`: serves Replicate-, fal- and OpenAI-shaped APIs on 127.0.0.1 with
 * the failures asked for, until interrupted. Prints the base URLs to give SDKs and the guard.
 */
export async function fakeProvider(_args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const o = raw as FakeProviderCommandOptions;
  const rates = {
    rate_limit: share("--rate-limit", o.rateLimit),
    unavailable: share("--unavailable", o.unavailable),
    invalid_input: share("--invalid-input", o.invalidInput),
    auth: share("--auth", o.auth),
    failed: share("--failed", o.failed),
    slow: share("--slow", o.slow),
  };
  const runSeconds = range("--run-seconds", o.runSeconds);
  const slowSeconds = range("--slow-seconds", o.slowSeconds);
  const latencyMs = range("--latency", o.latency);
  const retryAfterSeconds = parseAmount("--retry-after", o.retryAfter);
  const fake = await startFakeProvider({
    port: parseCount("--port", o.port) ?? 0,
    seed: parseCount("--seed", o.seed) ?? 1,
    rates: Object.fromEntries(Object.entries(rates).filter(([, v]) => v !== undefined)),
    ...(runSeconds ? { runSeconds } : {}),
    ...(slowSeconds ? { slowSeconds } : {}),
    ...(latencyMs ? { latencyMs } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(o.webhookSecret ? { webhookSecret: o.webhookSecret } : {}),
  });
  io.stdout.write(
    [
      `fake provider on ${fake.url} (seed ${fake.settings.seed})`,
      `  replicate  ${fake.urls.replicate}   (Replicate({ baseUrl }))`,
      `  fal        ${fake.urls.fal}   (rewrite https://queue.fal.run to it in fal's requestMiddleware)`,
      `  openai     ${fake.urls.openai}   (new OpenAI({ baseURL }))`,
      `  guard      createGuard({ endpoints: ${JSON.stringify(fake.endpoints)} })`,
      "press Ctrl-C to stop",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await fake.close();
  io.stdout.write(`stopped: ${fake.stats.creates} creates, ${fake.stats.accepted} jobs, ${fake.stats.polls} polls, ${fake.stats.cancels} cancels\n`);
  return 0;
}
