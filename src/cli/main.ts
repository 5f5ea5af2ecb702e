import { Command, CommanderError } from "commander";
import { isFailcostError, messageOf } from "../errors.js";
import { COMMANDS } from "./commands.js";
import { processIo, type CliIo } from "./io.js";
import { VERSION } from "./version.js";

/**
 * Runs the failcost command line and returns the exit code: 0 a report was produced, 1
 * `--strict` found problems, 2 bad usage, an unreadable file or an invalid policy.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command("failcost")
    .description("What failed, retried, timed-out and duplicated AI generation jobs really cost.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError("(run failcost --help for usage)");
  let code = 0;
  for (const spec of COMMANDS) {
    const cmd = program.command(spec.name).description(spec.summary).exitOverride();
    spec.define(cmd);
    cmd.action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const run = await spec.load();
      code = await run(command.processedArgs, command.opts(), io);
    });
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return 2;
    }
    if (isFailcostError(e)) {
      io.stderr.write(`failcost: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`failcost: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : messageOf(e)}\n`);
    return 70;
  }
}
