// The AWS Architecture Blog's backoff experiment, rerun with failcost's simulator: average
// calls and time (simulated ms) per run, by number of contending clients. `--full`: 100 runs
// for 10…190 clients (as the post); default: 20 runs for 10, 50 and 100 clients.
import { BACKOFFS, createPrng, simulateOcc } from "../../src/core/index.js";
import type { BenchSection } from "../run.js";

export const section: BenchSection = {
  name: "backoff and jitter (OCC contention, AWS Architecture Blog)",
  run(args) {
    const full = args.includes("--full");
    const clients = full ? [10, 50, 100, 150, 190] : [10, 50, 100];
    const runs = full ? 100 : 20;
    const started = performance.now();
    console.log(`| clients | ${BACKOFFS.map((b) => `${b} calls / time`).join(" | ")} |`);
    console.log(`|---|${BACKOFFS.map(() => "---").join("|")}|`);
    for (const n of clients) {
      const cells = BACKOFFS.map((kind) => {
        const prng = createPrng(1);
        let calls = 0;
        let time = 0;
        for (let r = 0; r < runs; r++) {
          const x = simulateOcc({ clients: n, backoff: { kind, base: 5, cap: 2000 } }, prng);
          calls += x.calls;
          time += x.time;
        }
        return `${Math.round(calls / runs)} / ${Math.round(time / runs).toLocaleString("en-US")}`;
      });
      console.log(`| ${n} | ${cells.join(" | ")} |`);
    }
    console.log(`\n${runs} runs each, seed 1, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return Promise.resolve();
  },
};
