import type { GuardCore } from "./guard-core.js";
import type { AttemptState } from "./state.js";
import { DeliveryReader, isRefusal, mountable, reply, type WebhookHandler, type WebhookOptions } from "./webhook-delivery.js";

export type { WebhookHandler, WebhookOptions } from "./webhook-delivery.js";

/**
 * Receives a provider's webhooks for jobs this guard created: verifies the Standard Webhooks
 * signature (401 if it fails), records `webhook_delivered` (and `completed` where the body is
 * final) for the attempt with that request id, and ends polling for it. A delivery that beats
 * the create's answer is held until the attempt is known. Mount it on any node:http server or
 * as middleware.
 */
export function createWebhookHandler(core: GuardCore, options: WebhookOptions): WebhookHandler {
  const reader = new DeliveryReader(options);
  return mountable(async (req, res) => {
    const d = await reader.read(req, Math.floor(core.now() / 1000));
    if (isRefusal(d)) {
      if (d.status === 401) core.stats.webhooks.refused++;
      return reply(res, d.status, d.text);
    }
    const deliver = (a: AttemptState): void => {
      core.stats.webhooks.accepted++;
      core.record(a, "webhook_delivered");
      a.lastBody = d.json;
      if (core.completeFrom(a, d.facts)) a.finalBody = d.json;
    };
    const att = core.book.attemptFor(options.provider, d.facts.requestId);
    if (!att) {
      core.stats.webhooks.unmatched++;
      core.notice({ kind: "webhook_unmatched", provider: options.provider, requestId: d.facts.requestId });
      core.book.holdEarly(options.provider, d.facts.requestId, deliver, core.now());
      return reply(res, 202, "accepted: no job of this guard has that request id (yet)");
    }
    deliver(att);
    reply(res, 200, "ok");
  });
}
