import { z, type ZodType } from "zod";
import { AppError, badRequest } from "@/lib/errors";

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** No API body comes near this; far deeper ones overflow the stack of whatever walks them. */
export const MAX_JSON_DEPTH = 64;

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

export function parseWith<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(`Invalid ${what}: ${describe(parsed.error)}`);
  return parsed.data;
}

/** Query string to a plain object (the last value wins for repeated names). */
export function parseQuery<T>(schema: ZodType<T>, url: string | URL): T {
  const params = new URL(url).searchParams;
  const obj: Record<string, string> = {};
  for (const [k, v] of params) obj[k] = v;
  return parseWith(schema, obj, "query");
}

export async function parseParams<T>(schema: ZodType<T>, params: Promise<unknown> | unknown): Promise<T> {
  return parseWith(schema, await params, "path");
}

/** Reads a JSON body with a size cap; junk JSON is a 400, never a 500. */
export async function parseBody<T>(schema: ZodType<T>, req: Request, maxBytes = MAX_BODY_BYTES): Promise<T> {
  assertDeclaredSize(req, maxBytes);
  const text = await readTextCapped(req, maxBytes);
  return parseWith(schema, text.length === 0 ? {} : parseJsonText(text), "body");
}

/** JSON.parse, refusing (400) documents nested deeper than `maxDepth` before parsing them. */
export function parseJsonText(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw badRequest(`Body is nested deeper than ${maxDepth} levels`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("Body is not valid JSON");
  }
}

/** Refuses a body whose Content-Length already says it is over `maxBytes`, before reading any of it. */
export function assertDeclaredSize(req: Request, maxBytes = MAX_BODY_BYTES): void {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", `Body over ${maxBytes} bytes`);
}

/**
 * The body as text; over `maxBytes` it stops reading and throws PAYLOAD_TOO_LARGE, leaving the
 * body unlocked: apiRoute reads the rest and drops it before answering (cancelling it would close
 * the connection with data unread, and the client would get a reset instead of the 413).
 */
export async function readTextCapped(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      throw new AppError("PAYLOAD_TOO_LARGE", `Body over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}
