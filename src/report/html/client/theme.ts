/** Colours the canvas needs, read from the page's CSS variables (which follow prefers-color-scheme). */
export interface Theme {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  cause(name: string): string;
}

/** The current theme's colours. */
export function readTheme(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v("--fg", "#111"),
    muted: v("--muted", "#666"),
    grid: v("--grid", "#ddd"),
    cause: (name) => v(`--cause-${name}`, "#888"),
  };
}

/** Calls `redraw` when the system switches between light and dark. */
export function onThemeChange(redraw: () => void): void {
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
}
