import "server-only";
import type { AuditEntry } from "@/lib/contract/audit";
import { AppError } from "@/lib/errors";
import { assertDeclaredSize, MAX_BODY_BYTES, parseJsonText, readTextCapped } from "@/lib/http/parse";

/** Reads what an audit entry needs from a mutation's request body and result. */

/**
 * The JSON body of a clone of the request, or undefined (not JSON, absent). A body over the cap
 * throws PAYLOAD_TOO_LARGE and cancels the request's own body too, so that nothing keeps
 * buffering what the clone no longer reads.
 */
export async function peekJsonBody(req: Request): Promise<unknown> {
  if (!req.body || req.bodyUsed) return undefined;
  assertDeclaredSize(req);
  let text: string;
  const copy = req.clone();
  try {
    text = await readTextCapped(copy, MAX_BODY_BYTES);
  } catch (err) {
    // Only the copy is cancelled (not awaited: a teed branch settles once both are): the original
    // goes on to apiRoute, which reads the rest before answering.
    copy.body?.cancel().catch(() => undefined);
    if (!(err instanceof AppError && err.code === "PAYLOAD_TOO_LARGE")) return undefined;
    throw err;
  }
  try {
    return parseJsonText(text);
  } catch {
    return undefined;
  }
}

/**
 * What the request targeted: its ids, its filter, whether it was a dry run. A result that names the
 * policy it followed (a reap's `hand-over` or `requeue`) puts it in `filter`, as the worker's
 * entries do: `{"policy":"requeue"}`, or `{"policy":...,"filter":...}` beside the request's filter.
 */
export function targetsFromBody(
  body: unknown,
  result?: unknown,
): Pick<AuditEntry, "ids" | "idCount" | "filter" | "dryRun"> {
  const out: Pick<AuditEntry, "ids" | "idCount" | "filter" | "dryRun"> = {};
  if (typeof body === "object" && body !== null) {
    const { ids, filter, dryRun } = body as { ids?: unknown; filter?: unknown; dryRun?: unknown };
    if (dryRun === true) out.dryRun = true;
    if (Array.isArray(ids)) {
      out.ids = ids.slice(0, 20).map((id) => String(id));
      out.idCount = ids.length;
    }
    if (filter !== undefined) out.filter = JSON.stringify(filter);
  }
  const policy = typeof result === "object" && result !== null ? (result as { policy?: unknown }).policy : undefined;
  if (typeof policy === "string") {
    out.filter = JSON.stringify(out.filter === undefined ? { policy } : { policy, filter: JSON.parse(out.filter) });
  }
  return out;
}

/**
 * Result fields that count messages; `touched` is their sum (0 for a dry run, which changes
 * nothing), but for a reap's result (REAP_COUNT_FIELDS).
 */
export const COUNT_FIELDS = [
  "acked",
  "claimed",
  "requeued",
  "moved",
  "deleted",
  "redriven",
  "trimmed",
  "published",
] as const;

/**
 * The message counts of a reap's result (the one result with `handedOver`): its `deleted` counts
 * the consumers deleted, which are not messages.
 */
export const REAP_COUNT_FIELDS = ["handedOver", "requeued"] as const;

export function touchedFromResult(result: unknown): number | null {
  if (typeof result !== "object" || result === null) return null;
  if ((result as { dryRun?: unknown }).dryRun === true) return 0;
  const fields = "handedOver" in result ? REAP_COUNT_FIELDS : COUNT_FIELDS;
  let sum = 0;
  let found = false;
  for (const field of fields) {
    const v = (result as Record<string, unknown>)[field];
    if (typeof v === "number" && Number.isFinite(v)) {
      sum += v;
      found = true;
    }
  }
  return found ? sum : null;
}
