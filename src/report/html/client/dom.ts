/** A child of an element: text (always inserted as text, never parsed as HTML), a node, or nothing. */
export type Child = string | number | Node | null | undefined | false | readonly Child[];

/** Attributes: set with setAttribute, so values are data; event handlers and `style` are refused. */
export type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;

function append(el: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) for (const c of child as readonly Child[]) append(el, c);
  else if (child instanceof Node) el.appendChild(child);
  else el.appendChild(document.createTextNode(typeof child === "number" ? String(child) : (child as string)));
}

/**
 * Makes an element. Every string becomes a text node, so job ids, model names and messages from
 * the data are shown as text and never run: the page has no innerHTML anywhere.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === false) continue;
    if (/^on/i.test(k) || k === "style") throw new Error(`refusing attribute ${k}`);
    el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** Replaces an element's children. */
export function replaceChildren(el: Element, ...children: Child[]): void {
  el.textContent = "";
  append(el, children);
}

/** One coloured part of a bar: its share of the track (0..1) and its class. */
export interface BarPart {
  readonly share: number;
  readonly className: string;
  readonly label?: string;
}

/** A horizontal bar of parts side by side; widths are set through CSSOM, which the CSP allows. */
export function bar(...parts: BarPart[]): HTMLSpanElement {
  const track = h("span", { class: "bar" });
  for (const p of parts) {
    const fill = h("span", { class: `bar-fill ${p.className}`, ...(p.label !== undefined ? { title: p.label } : {}) });
    fill.style.width = `${(Math.max(0, Math.min(1, p.share)) * 100).toFixed(2)}%`;
    track.appendChild(fill);
  }
  return track;
}
