/**
 * failcost's exceptional errors, in one place. Expected failures (a bad event line) are values;
 * these are for what stops a command: the CLI maps each to an exit code once.
 */

const BRAND = Symbol.for("failcost.error");

/** The base of failcost's errors; `exitCode` is what the CLI exits with. */
export class FailcostError extends Error {
  readonly [BRAND] = true;
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command line was wrong (exit 2). */
export class UsageError extends FailcostError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A file could not be read or written (exit 2). */
export class FileError extends FailcostError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message, 2);
  }
}

/** A policy file is invalid (exit 2); the message names the file and every bad key. */
export class PolicyError extends FailcostError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message, 2);
  }
}

/** `--strict` found problems in the input (exit 1). */
export class StrictError extends FailcostError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** A check the user asked for failed: `reconcile --fail-over` exceeded, or a bill with bad rows (exit 1). */
export class CheckError extends FailcostError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** True for any of failcost's own errors. */
export function isFailcostError(e: unknown): e is FailcostError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** True for a usage error. */
export function isUsageError(e: unknown): e is UsageError {
  return isFailcostError(e) && e instanceof UsageError;
}

/** True for a file error. */
export function isFileError(e: unknown): e is FileError {
  return isFailcostError(e) && e instanceof FileError;
}

/** True for a policy error. */
export function isPolicyError(e: unknown): e is PolicyError {
  return isFailcostError(e) && e instanceof PolicyError;
}

/** The message of any thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A ledger cannot be opened or used: not a ledger, a newer schema, a database that refused (exit 2). */
export class LedgerError extends FailcostError {
  constructor(
    message: string,
    readonly target: string,
  ) {
    super(message, 2);
  }
}

/** True for a ledger error. */
export function isLedgerError(e: unknown): e is LedgerError {
  return isFailcostError(e) && e instanceof LedgerError;
}
