import { Worker } from "node:worker_threads";

/**
 * Starts the worker module `name` that sits beside the module `base` (its `import.meta.url`):
 * the built `.js`, or, when failcost runs from its source through tsx (tests), the `.ts` through
 * worker-from-source.mjs, since worker threads on Node 20 do not inherit tsx's loader.
 */
export function startWorker(base: string, name: string, workerData: object): Worker {
  const fromSource = base.endsWith(".ts");
  const entry = new URL(`./${name}${fromSource ? ".ts" : ".js"}`, base);
  return fromSource ? new Worker(new URL("./worker-from-source.mjs", import.meta.url), { workerData: { ...workerData, entry: entry.href } }) : new Worker(entry, { workerData });
}
