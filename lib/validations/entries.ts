import { z } from "zod";
import {
  ENTRIES_DEFAULT_COUNT,
  ENTRIES_MAX_COUNT,
  SEARCH_DEFAULT_SCAN,
  SEARCH_MAX_SCAN,
} from "@/lib/contract/entries";
import { resolveBound } from "@/lib/streams/range";

const bound = z
  .string()
  .max(64)
  .refine((v) => {
    try {
      resolveBound(v, "lower");
      return true;
    } catch {
      return false;
    }
  }, "must be -, +, ms, ms-seq, (ms-seq or time:<ms|ISO>")
  .optional();

const intParam = (name: string, def: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(1, `${name} must be at least 1`).max(max, `${name} is at most ${max}`))
    .optional()
    .transform((v) => v ?? def);

export const streamKeyParams = z.object({ key: z.string().min(1) });

export const entriesQuerySchema = z.object({
  start: bound,
  end: bound,
  count: intParam("count", ENTRIES_DEFAULT_COUNT, ENTRIES_MAX_COUNT),
  order: z.enum(["asc", "desc"]).default("asc"),
});

export const searchQuerySchema = entriesQuerySchema.extend({
  q: z.string().min(1, "q (the text to look for) is required").max(1000),
  field: z.string().max(1000).optional(),
  scanLimit: intParam("scanLimit", SEARCH_DEFAULT_SCAN, SEARCH_MAX_SCAN),
});
