/** The poison-message radar: how often a group's pending messages were delivered. */
import { z } from "zod";
import type { ListFieldPair } from "./common";

export interface DeliveryBucket {
  label: string;
  /** Deliveries, inclusive. */
  from: number;
  /** Inclusive upper bound; null for the last bucket. */
  to: number | null;
  count: number;
}

/** A pending message among the most delivered, with a preview of its fields (long values cut). */
export interface PoisonCandidate {
  id: string;
  consumer: string;
  deliveries: number;
  idleMs: number;
  /** The entry was deleted or trimmed while its id stays pending. */
  deleted: boolean;
  fields: ListFieldPair[] | null;
  fieldsOmitted?: number;
}

export const DEFAULT_POISON_DELIVERIES = 10;
export const TOP_POISON = 10;

export const deliveriesQuerySchema = z.object({
  /** Count the messages delivered more than this many times. */
  over: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_POISON_DELIVERIES),
});
export type DeliveriesQuery = z.infer<typeof deliveriesQuerySchema>;

export interface DeliveriesResponse {
  buckets: DeliveryBucket[];
  /** The most delivered messages read, highest first (at most TOP_POISON; from the sample when not exact). */
  top: PoisonCandidate[];
  /** True when every pending message was read; false: counts scaled from a sample. */
  exact: boolean;
  sampled: number;
  total: number;
  /** The highest delivery count read. */
  maxDeliveries: number;
  over: number;
  /** Messages delivered more than `over` times (scaled from the sample when not exact). */
  overCount: number;
}
