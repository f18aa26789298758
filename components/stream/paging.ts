/** Cursor look-ups of the entries browser that need a request: the page before, and the page around an id. */
import { entriesClient } from "@/lib/client/entries";
import type { EntryOrder } from "@/lib/contract/entries";
import { normalizeId } from "@/lib/contract/ids";
import { opposite } from "./entry-display";

/**
 * The `start` of the page that ends just before `firstId` in `order` (probing the other way), or
 * null when nothing precedes it.
 */
export async function previousPageStart(
  key: string,
  order: EntryOrder,
  firstId: string,
  count: number,
): Promise<string | null> {
  const probe = await entriesClient.page(key, { order: opposite(order), start: `(${normalizeId(firstId)}`, count });
  return probe.entries.at(-1)?.id ?? null;
}

/** The `start` of a page that holds `id` roughly in its middle. */
export async function pageStartAround(key: string, order: EntryOrder, id: string, count: number): Promise<string> {
  const before = Math.max(1, Math.floor(count / 2));
  const probe = await entriesClient.page(key, { order: opposite(order), start: `(${normalizeId(id)}`, count: before });
  return probe.entries.at(-1)?.id ?? normalizeId(id);
}
