import "server-only";
import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { Alert } from "@/lib/contract/alerts";
import { isPrivateAddress, webhookUrlProblem } from "@/lib/contract/webhook-address";
import { log } from "@/lib/log";
import { processState } from "@/lib/runtime/state";

/**
 * Webhook notifier. `enqueue` only queues (bounded, in memory) and returns at once; a pump sends
 * deliveries in the background, a few at a time, each with a per-attempt timeout and up to
 * `attempts` tries with exponential backoff. So a slow or dead receiver never holds up the
 * worker. Logs name the receiver's host only: webhook URLs often carry secrets in the path.
 * Unless `allowPrivate`, the address actually connected to is checked (the resolver's answer,
 * at connect time), so a name that resolves to a private address, now or after a DNS change, is
 * refused and never retried.
 */
export interface WebhookTarget {
  url: string;
  format: "json" | "slack";
  /** alerts.allowPrivateWebhooks: loopback, link-local and private addresses allowed. */
  allowPrivate?: boolean;
}

class RefusedAddress extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup for http.request that refuses private addresses: the checked address is the one used. */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad || addresses.length === 0)
      return callback(new RefusedAddress(`${hostname} resolves to a private address`), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/** POSTs JSON once; resolves with the status (redirects are not followed). */
function postOnce(target: WebhookTarget, body: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const problem = webhookUrlProblem(target.url, !!target.allowPrivate);
    if (problem) return reject(new RefusedAddress(problem));
    const url = new URL(target.url);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (!target.allowPrivate && isIP(host) && isPrivateAddress(host))
      return reject(new RefusedAddress(`${host} is a private address`));
    const send = url.protocol === "https:" ? https.request : http.request;
    const req = send(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "streamscope-webhook",
          "content-length": Buffer.byteLength(body),
        },
        timeout: timeoutMs,
        ...(target.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error("timeout"), { name: "TimeoutError" })),
      timeoutMs,
    );
    timer.unref?.();
    req.on("close", () => clearTimeout(timer));
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { name: "TimeoutError" })));
    req.on("error", reject);
    req.end(body);
  });
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
        const status = await postOnce(target, body, this.opts.timeoutMs);
        if (status >= 200 && status < 300) {
          this.stats.delivered++;
          return;
        }
        reason = `status ${status}`;
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) attempt = this.opts.attempts;
      } catch (err) {
        const refused = err instanceof RefusedAddress || (err instanceof Error && err.cause instanceof RefusedAddress);
        reason = refused
          ? `refused: ${err.message}`
          : err instanceof Error && err.name === "TimeoutError"
            ? `timed out after ${this.opts.timeoutMs} ms`
            : "network error";
        if (refused) attempt = this.opts.attempts;
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

const queueSlot = processState<WebhookQueue | undefined>("webhooks", () => undefined, { keepOnReset: true });

/** The process-wide queue the alerts job feeds. */
export function getWebhookQueue(): WebhookQueue {
  queueSlot.value ??= new WebhookQueue();
  return queueSlot.value;
}

/** Tests swap in a queue with short delays. */
export function setWebhookQueue(queue: WebhookQueue): void {
  queueSlot.value = queue;
}
