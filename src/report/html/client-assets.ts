import { readFile } from "node:fs/promises";

/** The page's script and styles, each inlined whole into every page. */
export interface ClientAssets {
  readonly script: string;
  readonly style: string;
}

let cached: Promise<ClientAssets> | undefined;

async function load(): Promise<ClientAssets> {
  try {
    const [script, style] = await Promise.all([readFile(new URL("./assets/client.js", import.meta.url), "utf8"), readFile(new URL("./assets/client.css", import.meta.url), "utf8")]);
    return { script, style };
  } catch (e) {
    if ((e as { code?: string }).code !== "ENOENT") throw e;
    // Running from source: no build output beside this module, so bundle now (needs esbuild).
    const { bundleClient } = await import("./bundle-client.js");
    return bundleClient();
  }
}

/** The built page assets (from the build output, or bundled on first use when running from source). */
export function loadClientAssets(): Promise<ClientAssets> {
  cached ??= load();
  return cached;
}
