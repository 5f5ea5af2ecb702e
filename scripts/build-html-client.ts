// `npm run build`, after tsc: bundles the dashboard/report page script and styles (uPlot inlined)
// into dist/report/html/assets/, so an installed failcost writes HTML reports without esbuild.
import { mkdir, writeFile } from "node:fs/promises";
import { bundleClient } from "../src/report/html/bundle-client.js";

const out = new URL("../dist/report/html/assets/", import.meta.url);
const { script, style } = await bundleClient();
await mkdir(out, { recursive: true });
await writeFile(new URL("client.js", out), script);
await writeFile(new URL("client.css", out), style);
console.log(`page assets: client.js ${(script.length / 1024).toFixed(1)} KB, client.css ${(style.length / 1024).toFixed(1)} KB`);
