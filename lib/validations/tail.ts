import { z } from "zod";
import { isValidId, normalizeId } from "@/lib/streams/ids";

const fullId = z
  .string()
  .max(64)
  .refine(isValidId, "must be a stream id (ms-seq)")
  .transform(normalizeId);

export const tailQuerySchema = z.object({ from: fullId.optional() });

/** Last-Event-ID comes from the browser: an unusable one is ignored rather than refused. */
export function lastEventId(req: Request): string | undefined {
  const parsed = fullId.safeParse(req.headers.get("last-event-id") ?? undefined);
  return parsed.success ? parsed.data : undefined;
}
