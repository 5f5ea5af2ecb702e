// `npm run bench provider-import [-- --objects N]`: how fast `failcost import replicate` turns
// prediction objects (JSON Lines, with webhook-style repeats) into events.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createImporter } from "../../src/providers/import/import-objects.js";
import { readObjects } from "../../src/providers/import/read-objects.js";
import { replicateFormat } from "../../src/providers/index.js";
import type { BenchSection } from "../run.js";

function predictions(n: number): string {
  const statuses = ["succeeded", "succeeded", "succeeded", "failed", "canceled", "aborted", "processing"];
  const lines: string[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const status = statuses[i % statuses.length]!;
    const created = new Date(t0 + i * 1000).toISOString();
    const done = status === "processing" ? null : new Date(t0 + i * 1000 + 7000).toISOString();
    lines.push(
      JSON.stringify({
        id: `p${i.toString(36).padStart(8, "0")}`,
        model: `acme/model-${i % 7}`,
        version: "v",
        input: { prompt: `prompt ${i % 1000}`, seed: i },
        status,
        error: status === "failed" ? "CUDA out of memory" : null,
        created_at: created,
        started_at: created,
        completed_at: done,
        metrics: status === "processing" ? {} : { predict_time: 6.25, total_time: 7.0 },
        urls: { get: "https://api.replicate.com/v1/predictions/x" },
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

export const section: BenchSection = {
  name: "provider import (replicate predictions → events)",
  async run(args) {
    const at = args.indexOf("--objects");
    const n = at >= 0 ? Number(args[at + 1]) : 100_000;
    const text = predictions(n);
    const dir = mkdtempSync(join(tmpdir(), "failcost-bench-import-"));
    const file = join(dir, "predictions.jsonl");
    writeFileSync(file, text);
    const start = process.hrtime.bigint();
    const importer = createImporter({ format: replicateFormat, source: "bench" });
    await readObjects(createReadStream(file), (o) => importer.add(o), (p) => importer.skip(p.at, p.why));
    rmSync(dir, { recursive: true, force: true });
    const { events, summary } = importer.finish();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`objects: ${n} (${(text.length / 1e6).toFixed(1)} MB), attempts: ${summary.attempts}, events: ${events.length}`);
    console.log(`time: ${seconds.toFixed(2)} s, ${Math.round(n / seconds).toLocaleString("en-US")} objects/s`);
    console.log(`heap used after: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  },
};
