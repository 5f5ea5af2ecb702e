import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { FileError, StrictError, UsageError, messageOf } from "../../errors.js";
import { createImporter } from "../../providers/import/import-objects.js";
import { readObjects } from "../../providers/import/read-objects.js";
import { importHasProblems, renderImportSummary } from "../../providers/import/summary-text.js";
import { PROVIDER_FORMATS, providerFormat } from "../../providers/index.js";
import type { CliIo } from "../io.js";

/** The import command's options, as parsed. */
export interface ImportCommandOptions {
  readonly model?: string;
  readonly jobFrom?: string;
  readonly strict?: boolean;
}

async function openInput(file: string, io: CliIo): Promise<{ stream: Readable; name: string }> {
  if (file === "-") return { stream: process.stdin, name: "stdin" };
  const path = resolve(io.cwd, file);
  try {
    if ((await stat(path)).isDirectory()) throw new FileError(`cannot read ${file}: it is a folder`, file);
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${file}: ${messageOf(e)}`, file);
  }
  return { stream: createReadStream(path), name: file };
}

/**
 * `failcost import <provider> <file|->`: a provider's job objects (a list response, one object
 * a line, webhook bodies, or envelopes with headers and times) as events on stdout, and on
 * stderr what it could not map, date or read.
 */
export async function importCommand(args: unknown[], raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const opts = raw as ImportCommandOptions;
  const provider = String(args[0]);
  const file = String(args[1]);
  const format = providerFormat(provider);
  if (!format) throw new UsageError(`no import format for provider '${provider}': use one of ${Object.keys(PROVIDER_FORMATS).join(", ")}`);
  if (opts.model !== undefined && opts.model.trim() === "") throw new UsageError("--model needs a model name");
  const { stream, name } = await openInput(file, io);
  const importer = createImporter({ format, source: name, ...(opts.model ? { model: opts.model } : {}), ...(opts.jobFrom ? { jobFrom: opts.jobFrom } : {}) });
  try {
    await readObjects(stream, (o) => importer.add(o), (p) => importer.skip(p.at, p.why));
  } catch (e) {
    throw new FileError(`cannot read ${name}: ${messageOf(e)}`, name);
  }
  const { events, summary } = importer.finish();
  io.stdout.write(events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  io.stderr.write(renderImportSummary(provider, summary, opts.jobFrom));
  if (opts.strict && importHasProblems(summary)) throw new StrictError("--strict: some objects could not be imported");
  return 0;
}
