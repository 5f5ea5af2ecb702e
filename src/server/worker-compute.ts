import type { Worker } from "node:worker_threads";
import type { DashboardView } from "../report/html/view.js";
import { startWorker } from "../sources/start-worker.js";
import type { ViewComputeOptions } from "./compute-view.js";
import type { ViewMessage, ViewTask } from "./view-worker.js";
import type { ComputeView } from "./view-store.js";

/**
 * Computes views in a worker thread that opens its own connection to the ledger `target`
 * (`options` is asked for when a computation starts, so the policies may still be loading):
 * the server keeps answering (the stored view, timelines) while a big ledger is read.
 */
export function workerCompute(target: string, options: () => Promise<ViewComputeOptions>): { compute: ComputeView; cancel: () => void } {
  const running = new Set<Worker>();
  const compute: ComputeView = async (filter, progress) => {
    const task: ViewTask = { target, options: await options(), filter };
    return new Promise<DashboardView>((resolve, reject) => {
      const worker = startWorker(import.meta.url, "view-worker", task);
      running.add(worker);
      worker.once("exit", () => running.delete(worker));
      let settled = false;
      worker.on("message", (m: ViewMessage) => {
        if (m.kind === "progress") progress(m.words);
        else {
          settled = true;
          if (m.kind === "done") resolve(m.view as DashboardView);
          else reject(new Error(m.message));
        }
      });
      worker.on("error", (e) => {
        settled = true;
        reject(e);
      });
      worker.on("exit", (code) => {
        if (!settled) reject(new Error(`the view worker stopped (exit code ${code})`));
      });
    });
  };
  return { compute, cancel: () => running.forEach((w) => void w.terminate()) };
}
