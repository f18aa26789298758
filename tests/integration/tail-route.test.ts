/**
 * GET /api/streams/{key}/tail through the route wrapper: who may tail, the SSE answer itself
 * (ready, catch-up from `from` / Last-Event-ID, live batches, heartbeat-free close on abort), and
 * the JSON errors before any event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getTail } from "@/app/api/streams/[key]/tail/route";
import { GET as getEntries } from "@/app/api/streams/[key]/entries/route";
import type { TailEntriesEvent } from "@/lib/contract/tail";
import { appKey } from "@/lib/redis/app-keys";
import { DEFAULT_TAIL_LIMITS, setTailLimits, tailStats } from "@/lib/streams/tail";
import { callRoute } from "../helpers/route";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { readEvents } from "../helpers/sse";
import { sessionCookieHeader } from "../helpers/auth";
import { tokenCallers, type ErrorRes } from "../helpers/token-caller";

const redis = testRedis();
const prefix = uniquePrefix("tailroute");
const key = `${prefix}orders/é {x}`;
const { headers } = tokenCallers({
  redis,
  prefix,
  appPrefix: true,
  users: { vera: "viewer" },
  tokens: {
    viewer: { token: "tok-viewer-0123456789abcdef0123456789", role: "viewer" },
    scoped: { token: "tok-scoped-0123456789abcdef0123456789", role: "operator", streams: ["elsewhere:*"] },
  },
});
const viewer = headers("viewer");

const path = (k: string) => `/api/streams/${encodeURIComponent(k)}/tail`;
const call = (k: string, headers: Record<string, string>, query: Record<string, string> = {}) =>
  callRoute<ErrorRes | string>(getTail as never, path(k), { params: { key: k }, headers, query });

beforeAll(async () => {
  await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
  for (let i = 1; i <= 3; i++) await redis.xadd(key, `${i}-0`, "n", String(i));
  setTailLimits({ blockMs: 300, minIntervalMs: 50 });
});

afterAll(() => {
  setTailLimits(DEFAULT_TAIL_LIMITS);
});

function openTail(k: string, headers: Record<string, string>, query = "") {
  const abort = new AbortController();
  const req = new Request(`http://127.0.0.1:3000${path(k)}${query}`, {
    headers: { host: "127.0.0.1:3000", ...headers },
    signal: abort.signal,
  });
  return { abort, res: getTail(req, { params: Promise.resolve({ key: k }) }) };
}

describe("who may tail", () => {
  it("lets a viewer (token or session) tail and answers an event stream", async () => {
    for (const headers of [viewer, { cookie: sessionCookieHeader({ u: "vera", m: "password" }) }]) {
      const res = await call(key, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(res.headers.get("cache-control")).toContain("no-transform");
      expect(res.body).toContain("event: ready");
    }
    await expect.poll(() => tailStats().streams).toBe(0);
  });

  it("refuses anonymous callers, other streams' tokens and bad input like the other stream routes", async () => {
    expect((await call(key, {})).status).toBe(401);
    const scoped = await call(key, headers("scoped"));
    const missing = await call(`${prefix}missing`, viewer);
    expect([missing.status, (missing.body as ErrorRes).error.code]).toEqual([404, "NOT_FOUND"]);
    // Out of scope answers exactly as missing, so a scoped token learns nothing about the key.
    expect(scoped.status).toBe(404);
    expect(scoped.body).toEqual({ error: { code: "NOT_FOUND", message: `No stream named ${JSON.stringify(key)}` } });
    await redis.set(`${prefix}str`, "x");
    const str = await call(`${prefix}str`, viewer);
    expect([str.status, (str.body as ErrorRes).error.code]).toEqual([409, "WRONG_TYPE"]);
    const bad = await call(key, viewer, { from: "nope" });
    expect([bad.status, (bad.body as ErrorRes).error.code]).toEqual([400, "BAD_REQUEST"]);
    expect(tailStats().streams).toBe(0);
  });

  it("answers the app's own keys as the entries route does", async () => {
    const own = appKey("worker", "ticks");
    await redis.lpush(own, "{}");
    const entries = await callRoute<ErrorRes>(getEntries as never, `/api/streams/${encodeURIComponent(own)}/entries`, {
      params: { key: own },
      headers: viewer,
    });
    const tail = await call(own, viewer);
    expect(tail.status).toBe(entries.status);
    expect((tail.body as ErrorRes).error.code).toBe(entries.body.error.code);
  });

  it("answers 429 TAIL_LIMIT past the instance's cap, in the one error shape", async () => {
    const other = `${prefix}other`;
    await redis.xadd(other, "*", "a", "1");
    setTailLimits({ maxStreams: 1 });
    const first = openTail(key, viewer);
    try {
      const res = await first.res;
      expect(res.status).toBe(200);
      const refused = await call(other, viewer);
      expect(refused.status).toBe(429);
      expect((refused.body as ErrorRes).error.code).toBe("TAIL_LIMIT");
    } finally {
      setTailLimits({ maxStreams: DEFAULT_TAIL_LIMITS.maxStreams });
      first.abort.abort();
    }
    await expect.poll(() => tailStats().streams).toBe(0);
  });
});

describe("the event stream", () => {
  it("catches up from Last-Event-ID, then streams new entries, and stops when the client leaves", async () => {
    const { abort, res } = openTail(key, { ...viewer, "last-event-id": "1-0" });
    const response = await res;
    expect(response.status).toBe(200);
    const added: string[] = [];
    const { events, reader } = await readEvents(response, (evs) => {
      if (evs.some((e) => e.event === "ready") && added.length === 0) {
        added.push("pending");
        void redis.xadd(key, "*", "n", "live").then((id) => added.splice(0, 1, id!));
      }
      return evs.filter((e) => e.event === "entries").flatMap((e) => (e.data as TailEntriesEvent).entries).length >= 3;
    });
    expect(events[0]).toMatchObject({ event: "ready", data: { position: "3-0" } });
    const batches = events.filter((e) => e.event === "entries");
    const ids = batches.flatMap((e) => (e.data as TailEntriesEvent).entries.map((x) => x.id));
    expect(ids).toEqual(["2-0", "3-0", added[0]]);
    expect(batches.at(-1)!.id).toBe(added[0]);
    expect((batches[0]!.data as TailEntriesEvent).entries[0]).toEqual({
      id: "2-0",
      fields: [["n", "2"]],
      states: { g: { state: "delivered" } },
    });
    expect(tailStats()).toEqual({ streams: 1, listeners: 1 });
    abort.abort();
    await expect(reader.read()).resolves.toMatchObject({ done: true });
    expect(tailStats()).toEqual({ streams: 0, listeners: 0 });
  });

  it("sends a tail-error event and ends when the stream is deleted while watched", async () => {
    const doomed = `${prefix}doomed`;
    await redis.xadd(doomed, "*", "a", "1");
    const { res } = openTail(doomed, viewer);
    const response = await res;
    const { events } = await readEvents(response, (evs) => {
      if (evs.length === 1) void redis.del(doomed);
      return evs.some((e) => e.event === "tail-error");
    });
    expect(events.at(-1)).toEqual({
      event: "tail-error",
      id: undefined,
      data: { error: { code: "NOT_FOUND", message: expect.stringContaining(doomed) } },
    });
    await expect.poll(() => tailStats().streams).toBe(0);
  });
});
