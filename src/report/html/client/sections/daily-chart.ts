import uPlot from "uplot";
import { CAUSE_WORDS } from "../../../words.js";
import type { DashboardView } from "../../view.js";
import { h } from "../dom.js";
import { moneyEl, moneyText } from "../format.js";
import type { Theme } from "../theme.js";

/** A chart that needs its container on the page before it can measure and draw. */
export interface Mounted {
  readonly el: HTMLElement;
  mount(theme: Theme): void;
  destroy(): void;
}

function dayMillis(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

/** Tick labels on the money axis only (a scale, not a figure), so floats are fine here. */
function tick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1000 ? `${(v / 1000).toLocaleString("en-US", { maximumFractionDigits: 1 })}k` : v.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}

/**
 * Waste by cause for each day, as stacked bars (uPlot). Bar heights are floats, for drawing;
 * the legend and the table beside the chart show each cause's exact decimal text.
 */
export function dailyChart(view: DashboardView): Mounted {
  const { days, causes } = view.daily;
  const cur = view.report.currency;
  const box = h("div", { class: "chart", role: "img", "aria-label": "waste by cause for each day" });
  const table = h(
    "table",
    { class: "figures compact" },
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "day (UTC)"), ...causes.map((c) => h("th", { scope: "col" }, CAUSE_WORDS[c.cause] ?? c.cause)))),
    h("tbody", null, ...days.map((d, i) => h("tr", null, h("th", { scope: "row" }, d), ...causes.map((c) => h("td", { class: "num" }, moneyEl(c.values[i]!, cur, `day:${d}:${c.cause}`)))))),
  );
  const el = h(
    "section",
    { class: "panel", id: "daily" },
    h("h2", null, "Waste by cause, day by day (UTC)"),
    days.length === 0 || causes.length === 0 ? h("p", { class: "empty" }, "No waste on any day.") : [box, h("details", null, h("summary", null, "the figures as a table"), table)],
  );
  let plot: uPlot | undefined;
  let observer: ResizeObserver | undefined;
  return {
    el,
    mount(theme) {
      if (days.length === 0 || causes.length === 0) return;
      const xs = days.map((d) => dayMillis(d) / 1000);
      // Stack: series k holds causes 0..k summed; the tallest is drawn first, each lower one over it.
      const stacks: number[][] = [];
      let running = days.map(() => 0);
      for (const c of causes) {
        running = running.map((v, i) => v + Number(c.values[i]));
        stacks.push(running);
      }
      const order = causes.map((_, k) => k).reverse();
      const bars = uPlot.paths.bars!({ size: [0.7, 48], align: 0 });
      const opts: uPlot.Options = {
        width: Math.max(320, box.clientWidth),
        height: 260,
        padding: [12, 12, 0, 4],
        scales: { x: { time: true, auto: false, range: [xs[0]! - 43_200, xs[xs.length - 1]! + 43_200] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
        axes: [
          // One tick a day (thinned on long ranges), labelled by its UTC date.
          { stroke: theme.muted, grid: { show: false }, ticks: { stroke: theme.grid }, splits: () => xs.filter((_x, i) => i % Math.ceil(xs.length / 12) === 0), values: (_u, splits) => splits.map((x) => new Date(x * 1000).toISOString().slice(5, 10)) },
          { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid }, values: (_u, ticks) => ticks.map(tick), size: 60 },
        ],
        legend: { live: true },
        cursor: { points: { show: false }, drag: { x: false, y: false } },
        series: [
          { label: "day", value: (_u, v) => (v === null ? "all days" : new Date(v * 1000).toISOString().slice(0, 10)) },
          ...order.map((k) => {
            const c = causes[k]!;
            const color = theme.cause(c.cause);
            return {
              label: CAUSE_WORDS[c.cause] ?? c.cause,
              stroke: color,
              fill: color,
              width: 0,
              paths: bars,
              points: { show: false },
              // At rest the legend shows each cause's total; under the cursor, that day's exact figure.
              value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => moneyText(idx === null || idx === undefined ? view.report.waste_by_cause[c.cause] : c.values[idx]!, cur),
            } satisfies uPlot.Series;
          }),
        ],
      };
      plot = new uPlot(opts, [xs, ...order.map((k) => stacks[k]!)], box);
      observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(320, box.clientWidth), height: 260 }));
      observer.observe(box);
    },
    destroy() {
      observer?.disconnect();
      plot?.destroy();
    },
  };
}
