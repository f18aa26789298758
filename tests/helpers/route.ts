/**
 * Calls a Next route handler directly, as Next would: a real Request and a params promise.
 * Integration tests use it to test each route against the real test Redis without a server.
 */
type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Sent as-is (for junk JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function callRoute<T = unknown>(
  handler: RouteHandler,
  path: string,
  opts: CallOptions = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const url = new URL(path, "http://127.0.0.1:3000");
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
  const hasBody = opts.body !== undefined || opts.rawBody !== undefined;
  const req = new Request(url, {
    method: opts.method ?? (hasBody ? "POST" : "GET"),
    headers: {
      host: "127.0.0.1:3000",
      ...(hasBody
        ? { "content-type": "application/json", origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }
        : {}),
      ...opts.headers,
    },
    body: opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await bodyText(res);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* non-JSON (metrics) */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** The whole body; of an event stream (which never ends by itself) only up to its first event. */
async function bodyText(res: Response): Promise<string> {
  if (!res.headers.get("content-type")?.startsWith("text/event-stream") || !res.body) return res.text();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/(^|\n)event: [^\n]*\ndata: [^\n]*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}
