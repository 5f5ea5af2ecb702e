import { draw } from "../fates.js";

/** One job of the demo's workload. */
export interface DemoJob {
  readonly key: string;
  readonly provider: "replicate" | "fal" | "openai";
  readonly model: string;
  readonly prompt: string;
  /** When the app starts it, in ms after the run starts. */
  readonly startMs: number;
  /** A second worker picks the same job up this much later (a double submit), if set. */
  readonly againAfterMs: number | undefined;
}

const MODELS = {
  replicate: "black-forest-labs/flux-dev",
  fal: "fal-ai/flux/dev",
  openai: "sora-2",
} as const;

/**
 * The demo's jobs, drawn from the seed: half Replicate images, three in ten fal images, two in
 * ten OpenAI videos; one in ten is picked up twice by two workers; a job starts every 2 s.
 */
export function demoWorkload(seed: number, count: number): DemoJob[] {
  const jobs: DemoJob[] = [];
  for (let i = 0; i < count; i++) {
    const u = draw(seed, "provider", String(i));
    const provider = u < 0.5 ? "replicate" : u < 0.8 ? "fal" : "openai";
    const twice = draw(seed, "twice", String(i)) < 0.1;
    jobs.push({
      key: `demo-${String(i).padStart(4, "0")}`,
      provider,
      model: MODELS[provider],
      prompt: `product shot ${i}, studio light`,
      startMs: i * 2000,
      againAfterMs: twice ? 800 : undefined,
    });
  }
  return jobs;
}
