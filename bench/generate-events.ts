// Seeded synthetic event logs: realistic jobs across image and video providers, with every
// failure type, cause and pattern. Used by `npm run bench` (1M and 10M events), the ledger
// benchmarks and the examples. Run as a script:
//   node --import tsx bench/generate-events.ts --events 1000000 --seed 1 --out events.jsonl
//     [--job-gap-ms 250] [--random-job-ids]
import { createWriteStream } from "node:fs";
import { createHash } from "node:crypto";

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same log. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ModelSpec {
  readonly provider: string;
  readonly model: string;
  readonly kind: "image" | "video";
  /** Typical run seconds, and the poll interval the client uses. */
  readonly run: [number, number];
  readonly poll: number;
  readonly units: (r: () => number) => string;
  readonly weight: number;
}

/** The synthetic workload: providers, models, and what each delivers. */
export const MODELS: readonly ModelSpec[] = [
  { provider: "replicate", model: "black-forest-labs/flux-schnell", kind: "image", run: [0.6, 2.5], poll: 0.5, units: () => `{"image":1}`, weight: 30 },
  { provider: "replicate", model: "bytedance/sdxl-lightning-4step", kind: "image", run: [1.5, 6], poll: 1, units: (r) => `{"image":${1 + Math.floor(r() * 4)}}`, weight: 10 },
  { provider: "replicate", model: "wan-video/wan-2.1-t2v-480p", kind: "video", run: [60, 240], poll: 10, units: () => `{"video_second":5}`, weight: 5 },
  { provider: "fal", model: "fal-ai/flux/dev", kind: "image", run: [1, 4], poll: 1, units: (r) => `{"megapixel":${r() < 0.5 ? "1.05" : "2.1"}}`, weight: 25 },
  { provider: "fal", model: "fal-ai/kling-video/v2/master/text-to-video", kind: "video", run: [90, 300], poll: 10, units: (r) => `{"video_second":${r() < 0.6 ? 5 : 10}}`, weight: 6 },
  { provider: "runway", model: "gen4_turbo", kind: "video", run: [30, 120], poll: 8, units: (r) => `{"video_second":${r() < 0.5 ? 5 : 10}}`, weight: 8 },
  { provider: "openai", model: "gpt-image-1", kind: "image", run: [5, 20], poll: 2, units: () => `{"image":1}`, weight: 16 },
  { provider: "acme", model: "acme/img-fast", kind: "image", run: [1, 5], poll: 1, units: () => `{"image":1}`, weight: 20 },
];

/** Options for a synthetic log. */
export interface GenerateOptions {
  /** Stop after about this many events (the last job is finished). */
  readonly events: number;
  readonly seed: number;
  /** First submission time, ms since the epoch (default 2026-11-01T00:00:00Z). */
  readonly startMs?: number;
  /** Mean gap between new jobs in ms (default 250). */
  readonly jobGapMs?: number;
  /** Share of attempts that also get a `charged` line from billing data (default 0.05). */
  readonly chargedShare?: number;
  /** Job id prefix (default "job-"). */
  readonly jobPrefix?: string;
  /** Job ids as random as UUIDs or the guard's own keys (default: the prefix and a counter). */
  readonly randomJobIds?: boolean;
}

const FAILURES = ["rate_limit", "invalid_input", "timeout", "unavailable", "other", "auth"] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Yields a synthetic log line by line (time-ordered within each job). Returns the number of
 * events and jobs. Pull-based, so a writer can respect backpressure.
 */
export function* generateEventLines(options: GenerateOptions): Generator<string, { events: number; jobs: number }> {
  const r = createRandom(options.seed);
  const totalWeight = MODELS.reduce((s, m) => s + m.weight, 0);
  const pick = (): ModelSpec => {
    let x = r() * totalWeight;
    for (const m of MODELS) if ((x -= m.weight) < 0) return m;
    return MODELS[0]!;
  };
  const between = (lo: number, hi: number): number => lo + r() * (hi - lo);
  const prefix = options.jobPrefix ?? "job-";
  const charged = options.chargedShare ?? 0.05;
  let t = options.startMs ?? Date.UTC(2026, 10, 1);
  let events = 0;
  let jobs = 0;
  let reqSeq = 0;
  const recent: { hash: string; until: number; spec: ModelSpec }[] = [];
  const pending: string[] = [];
  const emit = (line: string): void => {
    events++;
    pending.push(line);
  };
  while (events < options.events) {
    t += Math.floor(-Math.log(1 - r()) * (options.jobGapMs ?? 250));
    const jobNo = jobs++;
    const job = options.randomJobIds ? `${prefix}${createHash("sha256").update(`job ${options.seed}:${jobNo}`).digest("hex").slice(0, 20)}` : `${prefix}${jobNo}`;
    // An impatient caller resubmits a recent job's exact input as a new job.
    const dupOf = recent.length > 0 && r() < 0.03 ? recent[Math.floor(r() * recent.length)] : undefined;
    const spec = dupOf?.spec ?? pick();
    const hash = dupOf?.hash ?? createHash("sha256").update(`${options.seed}:${jobNo}`).digest("hex").slice(0, 32);
    const webhook = spec.kind === "video" && r() < 0.4;
    const base = `"provider":"${spec.provider}","model":"${spec.model}","job":"${job}"`;
    let at = t;
    let rerun = false;
    if (!dupOf && spec.kind === "image" && r() < 0.01) {
      // The caller tries again with a new seed while the first try still runs: both succeed.
      for (const attempt of [1, 2]) {
        const a = `${base},"attempt":${attempt}`;
        const rid = `r${(reqSeq++).toString(36)}${Math.floor(r() * 1e6).toString(36)}`;
        const sub = at + (attempt - 1) * 1500;
        const end = sub + Math.floor(between(spec.run[0], spec.run[1]) * 1000) + 300;
        emit(`{"ts":"${iso(sub)}",${a},"type":"submitted","input_hash":"${hash}${attempt}","kind":"${spec.kind}","units":${spec.units(r)}}`);
        emit(`{"ts":"${iso(sub + 200)}",${a},"request_id":"${rid}","type":"created"}`);
        emit(`{"ts":"${iso(end)}",${a},"request_id":"${rid}","type":"completed","outcome":"succeeded","run_seconds":${((end - sub - 300) / 1000).toFixed(3)},"units":${spec.units(r)}}`);
      }
      yield* pending;
      pending.length = 0;
      continue;
    }
    for (let attempt = 1; attempt <= 6; attempt++) {
      const a = `${base},"attempt":${attempt}`;
      const rid = `r${(reqSeq++).toString(36)}${Math.floor(r() * 1e6).toString(36)}`;
      if (!rerun) emit(`{"ts":"${iso(at)}",${a},"type":"submitted","input_hash":"${hash}","kind":"${spec.kind}","units":${spec.units(r)}${webhook ? ',"webhook":true' : ""}}`);
      rerun = false;
      at += Math.floor(between(80, 400));
      const x = r();
      if (x < 0.07) {
        // Refused at create: mostly rate limits, some invalid input, auth and outages.
        const y = r();
        const [status, error] = y < 0.6 ? [429, "rate_limit"] : y < 0.8 ? [422, "invalid_input"] : y < 0.9 ? [503, "unavailable"] : [401, "auth"];
        emit(`{"ts":"${iso(at)}",${a},"type":"rejected","http_status":${status},"error":"${error}"}`);
        if (error === "invalid_input" || error === "auth") break;
        at += Math.floor(between(200, error === "rate_limit" ? 3000 : 8000));
        continue;
      }
      emit(`{"ts":"${iso(at)}",${a},"request_id":"${rid}","type":"created"}`);
      const run = between(spec.run[0], spec.run[1]);
      const end = at + Math.floor(run * 1000);
      const impatient = r() < 0.1;
      const interval = (impatient ? spec.poll / 2 : spec.poll) * 1000;
      const timeoutAfter = spec.kind === "video" ? 280_000 : 20_000;
      const timesOut = r() < 0.04 || end - at > timeoutAfter;
      const stopAt = timesOut ? at + timeoutAfter : end;
      if (!webhook) for (let p = at + interval; p < stopAt; p += interval * between(0.9, 1.1)) emit(`{"ts":"${iso(Math.floor(p))}",${a},"request_id":"${rid}","type":"polled","http_status":200}`);
      else if (r() < 0.3) for (let p = at + 10_000; p < stopAt; p += 10_000) emit(`{"ts":"${iso(p)}",${a},"request_id":"${rid}","type":"polled","http_status":200}`);
      const runSeconds = run.toFixed(3);
      if (timesOut) {
        emit(`{"ts":"${iso(stopAt)}",${a},"request_id":"${rid}","type":"client_timeout","waited_seconds":${Math.round((stopAt - at) / 1000)}}`);
        const y = r();
        if (y < 0.4) {
          emit(`{"ts":"${iso(stopAt + 50)}",${a},"request_id":"${rid}","type":"cancel_requested"}`);
          emit(`{"ts":"${iso(stopAt + 900)}",${a},"request_id":"${rid}","type":"completed","outcome":"canceled","run_seconds":${((stopAt - at) / 1000).toFixed(3)}}`);
        } else if (y < 0.8) {
          emit(`{"ts":"${iso(Math.max(end, stopAt + 1000))}",${a},"request_id":"${rid}","type":"completed","outcome":"succeeded","run_seconds":${runSeconds},"units":${spec.units(r)}}`);
        }
        if (r() < 0.05) emit(`{"ts":"${iso(stopAt + 86_400_000)}","provider":"${spec.provider}","request_id":"${rid}","type":"charged","amount":"${(run * 0.0014).toFixed(6)}","currency":"USD"}`);
        at = stopAt + Math.floor(between(500, 2000));
        continue;
      }
      const y = r();
      if (y < 0.06) {
        const error = FAILURES[Math.floor(r() * FAILURES.length)]!;
        emit(`{"ts":"${iso(end)}",${a},"request_id":"${rid}","type":"completed","outcome":"failed","run_seconds":${runSeconds},"error":"${error}"}`);
      } else if (y < 0.075) {
        emit(`{"ts":"${iso(end)}",${a},"request_id":"${rid}","type":"completed","outcome":"timed_out","run_seconds":${runSeconds}}`);
      } else if (y < 0.085) {
        // The caller changed its mind and canceled mid-run; the run so far may be billed.
        const mid = at + Math.floor((end - at) / 2);
        emit(`{"ts":"${iso(mid)}",${a},"request_id":"${rid}","type":"cancel_requested"}`);
        emit(`{"ts":"${iso(mid + 500)}",${a},"request_id":"${rid}","type":"completed","outcome":"canceled","run_seconds":${((mid - at) / 1000).toFixed(3)}}`);
        break;
      } else {
        emit(`{"ts":"${iso(end)}",${a},"request_id":"${rid}","type":"completed","outcome":"succeeded","run_seconds":${runSeconds},"units":${spec.units(r)}}`);
        if (r() < charged) emit(`{"ts":"${iso(end + 86_400_000)}","provider":"${spec.provider}","request_id":"${rid}","type":"charged","amount":"${(run * 0.0014).toFixed(6)}","currency":"USD"}`);
        if (webhook) {
          if (r() < 0.04) {
            emit(`{"ts":"${iso(end + 15_000)}",${a},"request_id":"${rid}","type":"webhook_failed","requeued":true}`);
            rerun = true;
            at = end + 16_000;
            continue;
          }
          emit(`{"ts":"${iso(end + 200)}",${a},"request_id":"${rid}","type":"webhook_delivered"}`);
        }
        if (r() < 0.03) {
          emit(`{"ts":"${iso(end + 2000)}",${a},"request_id":"${rid}","type":"output_rejected","error":"quality"}`);
          at = end + 2500;
          continue;
        }
        if (!dupOf && recent.length < 64) recent.push({ hash, until: end, spec });
        else if (!dupOf) recent[Math.floor(r() * recent.length)] = { hash, until: end, spec };
        break;
      }
      at = end + Math.floor(between(300, 5000));
    }
    yield* pending;
    pending.length = 0;
  }
  return { events, jobs };
}

/** Writes a synthetic log to a file, respecting backpressure. */
export async function writeEventsFile(path: string, options: GenerateOptions): Promise<{ events: number; jobs: number }> {
  const stream = createWriteStream(path);
  const gen = generateEventLines(options);
  let buf: string[] = [];
  let result: { events: number; jobs: number } | undefined;
  for (;;) {
    const next = gen.next();
    if (next.done) {
      result = next.value;
      break;
    }
    buf.push(next.value);
    if (buf.length >= 4096) {
      if (!stream.write(`${buf.join("\n")}\n`)) await new Promise<void>((res) => stream.once("drain", () => res()));
      buf = [];
    }
  }
  if (buf.length > 0) stream.write(`${buf.join("\n")}\n`);
  await new Promise<void>((res, rej) => stream.end((e?: Error | null) => (e ? rej(e) : res())));
  return result;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await writeEventsFile(arg("out", "events.jsonl"), {
    events: Number(arg("events", "1000")),
    seed: Number(arg("seed", "1")),
    jobGapMs: Number(arg("job-gap-ms", "250")),
    randomJobIds: process.argv.includes("--random-job-ids"),
  });
  process.stderr.write(`${result.events} events, ${result.jobs} jobs\n`);
}
