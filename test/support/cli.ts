// Runs the CLI in this process (fast) or as a real process (exit codes, stderr), from source.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.js";

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `failcost ARGS` in this process with captured output. */
export async function runCli(args: readonly string[], cwd = process.cwd(), env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd,
    env: { ...env },
  });
  return { code, stdout, stderr };
}

const ENTRY = fileURLToPath(new URL("./cli-entry.ts", import.meta.url));
// Resolved here, so the child finds tsx whatever its working folder.
const TSX = import.meta.resolve("tsx");

/** Runs `failcost ARGS` as a real process (through tsx, from source). */
export function spawnCli(args: readonly string[], cwd = process.cwd(), input?: string): CliRun {
  const r = spawnSync(process.execPath, ["--import", TSX, ENTRY, ...args], { cwd, encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `failcost ARGS` as a real process whose reader stops after the first chunk of output (`| head`). */
export function spawnCliClosingEarly(args: readonly string[], cwd = process.cwd()): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", TSX, ENTRY, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.once("data", (d: Buffer) => {
      stdout += d.toString();
      child.stdout.destroy();
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
