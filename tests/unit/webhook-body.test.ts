import { describe, expect, it } from "vitest";
import { slackText, webhookBody, webhookHost, type WebhookEvent } from "@/lib/alerts/webhook";

const event: WebhookEvent = {
  event: "firing",
  at: 1,
  value: 3,
  alert: {
    id: "abc",
    rule: "long-pending",
    stream: "orders",
    group: "g",
    consumer: null,
    state: "firing",
    severity: "critical",
    message: "3 messages pending over 30 s",
    firstSeen: 1,
    lastSeen: 1,
    resolvedAt: null,
    silencedUntil: null,
    link: "/streams/orders/groups/g?minIdleMs=30000",
  },
};

describe("webhook payloads", () => {
  it("logs name only the host of a URL that carries a secret", () => {
    expect(webhookHost("https://hooks.slack.com/services/T000/B000/SECRET")).toBe("hooks.slack.com");
    expect(webhookHost("http://user:pw@127.0.0.1:8080/x?token=1")).toBe("127.0.0.1:8080");
    expect(webhookHost("not a url")).toBe("(invalid url)");
  });

  it("JSON carries the event and the alert; Slack gets one line of text", () => {
    expect(webhookBody("json", event)).toEqual({
      source: "streamscope",
      event: "firing",
      at: 1,
      value: 3,
      alert: event.alert,
    });
    expect(webhookBody("slack", event)).toEqual({ text: slackText(event) });
    expect(slackText(event)).toBe(
      "FIRING [CRITICAL] long-pending on orders / g: 3 messages pending over 30 s (/streams/orders/groups/g?minIdleMs=30000)",
    );
    expect(slackText({ ...event, event: "resolved" })).toMatch(/^RESOLVED long-pending on orders/);
  });
});
