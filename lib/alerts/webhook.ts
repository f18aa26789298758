import "server-only";
import type { Alert } from "@/lib/api/alerts-types";
import { log } from "@/lib/log";

/**
 * Webhook notifier. `enqueue` only queues (bounded, in memory) and returns at once; a pump sends
 * deliveries in the background, a few at a time, each with a per-attempt timeout and up to
 * `attempts` tries with exponential backoff. So a slow or dead receiver never holds up the
 * worker. Logs name the receiver's host only: webhook URLs often carry secrets in the path.
 */
export interface WebhookTarget {
  url: string;
  format: "json" | "slack";
}

export interface WebhookEvent {
  event: "firing" | "resolved";
  alert: Alert;
  value: number;
  at: number;
}

export interface WebhookOptions {
  attempts: number;
  baseDelayMs: number;
  timeoutMs: number;
  concurrency: number;
  maxQueue: number;
}

export const WEBHOOK_DEFAULTS: WebhookOptions = {
  attempts: 3,
  baseDelayMs: 1000,
  timeoutMs: 5000,
  concurrency: 4,
  maxQueue: 1000,
};

export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid url)";
  }
}

export function slackText(e: WebhookEvent): string {
  const a = e.alert;
  const head = e.event === "firing" ? `FIRING [${a.severity.toUpperCase()}]` : "RESOLVED";
  return `${head} ${a.rule} on ${a.stream}${a.group ? ` / ${a.group}` : ""}: ${a.message} (${a.link})`;
}

export function webhookBody(format: WebhookTarget["format"], e: WebhookEvent): unknown {
  if (format === "slack") return { text: slackText(e) };
  return { source: "streamscope", event: e.event, at: e.at, value: e.value, alert: e.alert };
}

interface Delivery {
  target: WebhookTarget;
  event: WebhookEvent;
}

export interface WebhookStats {
  queued: number;
  inFlight: number;
  delivered: number;
  failed: number;
  dropped: number;
}

export class WebhookQueue {
  private readonly queue: Delivery[] = [];
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  readonly stats: Omit<WebhookStats, "queued" | "inFlight"> = { delivered: 0, failed: 0, dropped: 0 };

  constructor(private readonly opts: WebhookOptions = WEBHOOK_DEFAULTS) {}

  /** Queues one delivery per target and event; returns immediately. */
  enqueue(targets: readonly WebhookTarget[], events: readonly WebhookEvent[]): number {
    let queued = 0;
    for (const event of events) {
      for (const target of targets) {
        if (this.queue.length >= this.opts.maxQueue) {
          this.queue.shift();
          this.stats.dropped++;
        }
        this.queue.push({ target, event });
        queued++;
      }
    }
    this.pump();
    return queued;
  }

  snapshot(): WebhookStats {
    return { ...this.stats, queued: this.queue.length, inFlight: this.inFlight };
  }

  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.opts.concurrency && this.queue.length > 0) {
      const d = this.queue.shift()!;
      this.inFlight++;
      void this.deliver(d).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.queue.length === 0 && this.inFlight === 0) {
          const waiters = this.waiters;
          this.waiters = [];
          for (const w of waiters) w();
        }
      });
    }
  }

  private async deliver({ target, event }: Delivery): Promise<void> {
    const host = webhookHost(target.url);
    const body = JSON.stringify(webhookBody(target.format, event));
    for (let attempt = 1; attempt <= this.opts.attempts; attempt++) {
      let reason: string;
      try {
        const res = await fetch(target.url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "streamscope-webhook" },
          body,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
          redirect: "manual",
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.stats.delivered++;
          return;
        }
        reason = `status ${res.status}`;
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) attempt = this.opts.attempts;
      } catch (err) {
        reason = err instanceof Error && err.name === "TimeoutError" ? `timed out after ${this.opts.timeoutMs} ms` : "network error";
      }
      if (attempt < this.opts.attempts) {
        log.warn({ host, attempt, reason, alert: event.alert.id }, "webhook delivery failed; retrying");
        await sleep(this.opts.baseDelayMs * 2 ** (attempt - 1));
      } else {
        log.error({ host, attempts: attempt, reason, alert: event.alert.id }, "webhook delivery failed; giving up");
      }
    }
    this.stats.failed++;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });
}

const holder = globalThis as unknown as { __streamscopeWebhooks?: WebhookQueue };

/** The process-wide queue the alerts job feeds. */
export function getWebhookQueue(): WebhookQueue {
  holder.__streamscopeWebhooks ??= new WebhookQueue();
  return holder.__streamscopeWebhooks;
}

/** Tests swap in a queue with short delays. */
export function setWebhookQueue(queue: WebhookQueue): void {
  holder.__streamscopeWebhooks = queue;
}
