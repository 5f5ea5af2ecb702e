import type { PageData } from "../view.js";
import { startApp } from "./app.js";

// The page's data sits in a JSON block that never runs; it is parsed, not evaluated.
const block = document.getElementById("failcost-data");
const root = document.getElementById("app");
if (block && root) startApp(root, JSON.parse(block.textContent ?? "{}") as PageData);
