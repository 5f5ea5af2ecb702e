import type { Command } from "commander";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `serve`'s options. */
export function defineServe(cmd: Command): void {
  cmd
    .option("--db <ledger>", "SQLite file or postgres://…?schema=name URL (default $FAILCOST_DB, else ./failcost.db)")
    .option("--policies <path>", "policy file or folder, over the shipped ones (repeatable; default ./policies, or policies/ beside the ledger)", collect)
    .option("--host <address>", "where to listen; anything but this machine needs a token", "127.0.0.1")
    .option("--port <n>", "port", "7411")
    .option("--token <token>", "the token a browser must present (default $FAILCOST_DASHBOARD_TOKEN; made for you when --host is not local)")
    .option("--window <minutes>", "duplicate window in minutes", "10")
    .option("--top <n>", "how many of the most wasteful jobs to list", "10")
    .option("--refresh <seconds>", "how often to look for new events", "2")
    .option("--webhook <provider>", "receive this provider's signed webhooks at /webhooks/<provider> (secret from $FAILCOST_WEBHOOK_SECRET_<PROVIDER>; repeatable)", collect);
}
