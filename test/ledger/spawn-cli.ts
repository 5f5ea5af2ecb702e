// The real command line in a process of its own, from source (test/ledger/run-cli.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("./run-cli.ts", import.meta.url));

/** Starts `failcost ARGS…` with its output ignored (for tests that kill it). */
export function startCli(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: "ignore" });
}

/** Runs `failcost ARGS…` to its end: exit code and output. */
export function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
