import { fileURLToPath } from "node:url";
import type { ClientAssets } from "./client-assets.js";

/**
 * Bundles the page's script (with uPlot) and styles with esbuild. Runs at build time
 * (scripts/build-html-client.ts writes the result into dist) and, when running from source,
 * on first use; an installed failcost never needs esbuild.
 */
export async function bundleClient(): Promise<ClientAssets> {
  const esbuild = await import("esbuild");
  const src = (name: string): string => fileURLToPath(new URL(`../../../src/report/html/client/${name}`, import.meta.url));
  const common = { bundle: true, minify: true, write: false, logLevel: "silent", legalComments: "inline" } as const;
  const [js, css] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [src("main.ts")], format: "iife", target: ["es2020"], platform: "browser" }),
    esbuild.build({ ...common, entryPoints: [src("styles.css")], loader: { ".css": "css" } }),
  ]);
  return { script: js.outputFiles[0]!.text, style: css.outputFiles[0]!.text };
}
