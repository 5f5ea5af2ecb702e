import { CAUSE_WORDS } from "../../../words.js";
import type { JobTimeline, TimelineEvent } from "../../view.js";
import { h } from "../dom.js";
import { moneyEl, offsetText } from "../format.js";

function facts(e: TimelineEvent): string {
  return e.facts.map(([k, v]) => `${k} ${v}`).join(" · ");
}

/** One lane per attempt, a mark per event at its time; positions set through CSSOM. */
function lanes(t: JobTimeline, events: readonly TimelineEvent[]): HTMLElement {
  const first = events[0]!.micros;
  const span = Math.max(1, events[events.length - 1]!.micros - first);
  const rows = t.attempts.map((a) => {
    const track = h("div", { class: "lane-track" });
    for (const e of events) {
      if (e.attempt !== a.attempt) continue;
      const mark = h("span", { class: `mark mark-${e.type}`, title: `${e.type} ${e.at}${e.request_id !== undefined ? ` ${e.request_id}` : ""}` });
      mark.style.left = `${(((e.micros - first) / span) * 100).toFixed(3)}%`;
      track.appendChild(mark);
    }
    return h("div", { class: "lane" }, h("span", { class: "lane-name" }, `attempt ${a.attempt}`), track);
  });
  const legend = ["submitted", "created", "polled", "completed", "rejected", "client_timeout", "webhook_delivered", "webhook_failed", "charged"].map((k) => h("span", { class: "legend-item" }, h("span", { class: `mark-key mark-${k}` }), k));
  return h("div", { class: "lanes" }, ...rows, h("div", { class: "lane-legend" }, ...legend));
}

/**
 * A job's timeline: what the audit made of each attempt (billed, used or why it is waste), then
 * every event in time order with its request id, polls, webhooks and charges.
 */
export function timeline(t: JobTimeline, currency: string, close: () => void): HTMLElement {
  const closeButton = h("button", { type: "button", class: "close" }, "close");
  closeButton.addEventListener("click", close);
  const attempts = h(
    "table",
    { class: "figures" },
    h("thead", null, h("tr", null, ...["attempt", "provider / model", "request ids", "outcome", "verdict", "billed", "polls"].map((x) => h("th", { scope: "col" }, x)))),
    h(
      "tbody",
      null,
      ...t.attempts.map((a) =>
        h(
          "tr",
          null,
          h("th", { scope: "row" }, String(a.attempt)),
          h("td", null, `${a.provider} / ${a.model}`),
          h("td", null, h("code", null, a.request_ids.join(" ") || "none")),
          h("td", null, a.outcome === "pending" ? "never known" : a.outcome),
          h("td", null, a.used ? h("strong", null, "used") : `waste: ${a.cause !== undefined && Object.hasOwn(CAUSE_WORDS, a.cause) ? CAUSE_WORDS[a.cause] : (a.cause ?? "other")}`),
          h("td", { class: "num" }, moneyEl(a.billed, currency, `attempt:${a.attempt}:billed`), a.billed_high !== a.billed && h("span", { class: "muted" }, " up to ", moneyEl(a.billed_high, currency)), a.charged ? h("span", { class: "muted" }, " (charged)") : h("span", { class: "muted" }, " (estimate)")),
          h("td", { class: "num" }, String(a.polls)),
        ),
      ),
    ),
  );
  const events = t.events ?? [];
  const first = events[0]?.micros ?? 0;
  const list =
    t.events === undefined
      ? h("p", { class: "muted" }, "Loading events…")
      : h(
          "table",
          { class: "figures compact events" },
          h("thead", null, h("tr", null, ...["time (UTC)", "", "attempt", "event", "request id", "details"].map((x) => h("th", { scope: "col" }, x)))),
          h(
            "tbody",
            null,
            ...events.map((e, i) => [
              i === t.omittedAt && h("tr", { class: "gap" }, h("td", { colspan: 6, class: "muted" }, `… ${t.omitted ?? 0} events left out …`)),
              h("tr", { class: `event-${e.type}` }, h("td", null, h("time", null, e.at)), h("td", { class: "muted num" }, offsetText(e.micros, first)), h("td", { class: "num" }, e.attempt === undefined ? "" : String(e.attempt)), h("td", null, e.type), h("td", null, h("code", null, e.request_id ?? "")), h("td", null, facts(e))),
            ]),
          ),
        );
  return h(
    "section",
    { class: "panel timeline", id: "timeline", "aria-label": "job timeline" },
    h("div", { class: "panel-head" }, h("h2", null, "Timeline of ", h("code", { "data-figure": "timeline-job" }, t.job)), closeButton),
    attempts,
    events.length > 0 && lanes(t, events),
    list,
  );
}
