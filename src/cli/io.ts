/** Where a command reads and writes: the process, or a test's buffers. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

let watchingStdout = false;

/**
 * The real process's streams, folder and environment. Output piped into a reader that stops
 * early (`failcost export focus | head`) ends the process quietly, as a closed pipe ends any
 * Unix tool, rather than with a stack trace.
 */
export function processIo(): CliIo {
  if (!watchingStdout) {
    watchingStdout = true;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      process.stderr.write(`failcost: cannot write the output: ${e.message}\n`);
      process.exit(2);
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** True when the stream is a terminal and colour is not switched off (NO_COLOR). */
export function useColor(io: CliIo, stream: "stdout" | "stderr" = "stdout"): boolean {
  return io[stream].isTTY === true && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
}
