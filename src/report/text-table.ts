/** How a column lines up. */
export type Align = "left" | "right";

// eslint-disable-next-line no-control-regex -- matching the ANSI escapes this module itself may receive
const ANSI = /\x1b\[[0-9;]*m/g;

/** The printed width of text, ignoring colour codes. */
export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, "")].length;
}

function pad(s: string, width: number, align: Align): string {
  const fill = " ".repeat(Math.max(0, width - visibleWidth(s)));
  return align === "right" ? fill + s : s + fill;
}

/** Lines of a plain text table; the last column is not padded on the right. */
export function table(rows: readonly (readonly string[])[], aligns: readonly Align[], gap = "  "): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 && (aligns[i] ?? "left") === "left" ? cell : pad(cell, widths[i]!, aligns[i] ?? "left")))
      .join(gap)
      .trimEnd(),
  );
}

/**
 * Pads decimal numbers in a column so their points line up: the fraction is padded with
 * spaces to the longest fraction (`$1.5  ` over `$0.0585`).
 */
export function alignDecimals(cells: readonly string[]): string[] {
  const frac = (c: string): number => {
    const m = /\.(\d+)(?!.*\d)/.exec(c.replace(ANSI, ""));
    return m ? m[1]!.length + 1 : 0;
  };
  const width = Math.max(0, ...cells.map(frac));
  return cells.map((c) => c + " ".repeat(width - frac(c)));
}
