/** Query schemas of the stream list and overview routes (shared by the routes and their tests). */
import { z } from "zod";

export const MAX_LIST_COUNT = 10_000;
const U64_MAX = (1n << 64n) - 1n;

export const globSchema = z.string().min(1).max(1024).default("*");

export const scanCursorSchema = z
  .string()
  .refine((v) => /^\d{1,20}$/.test(v) && BigInt(v) <= U64_MAX, "must be a SCAN cursor (an unsigned 64-bit number)")
  .default("0");

/** Counts above the cap are refused (400), not clamped, so a caller learns its page size is not honoured. */
export const listCountSchema = z
  .string()
  .regex(/^\d+$/, "must be a whole number")
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_LIST_COUNT, `must be at most ${MAX_LIST_COUNT}`))
  .default(1000);

export const streamsListQuerySchema = z.object({ match: globSchema, cursor: scanCursorSchema, count: listCountSchema });

export const overviewQuerySchema = z.object({ match: globSchema });
