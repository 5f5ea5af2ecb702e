/** Where a command reads and writes: the process, or a test's buffers. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process's streams, folder and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** True when the stream is a terminal and colour is not switched off (NO_COLOR). */
export function useColor(io: CliIo, stream: "stdout" | "stderr" = "stdout"): boolean {
  return io[stream].isTTY === true && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
}
