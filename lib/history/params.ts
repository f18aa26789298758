import { z } from "zod";
import { HISTORY_RANGES, type HistoryRange } from "@/lib/contract/history";

/** Route input schemas shared by the history routes. */
export const streamParams = z.object({ key: z.string().min(1) });
export const groupParams = z.object({ key: z.string().min(1), group: z.string().min(1) });
export const rangeQuery = z.object({
  range: z
    .enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]])
    .default("1h"),
});
