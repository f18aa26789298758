/**
 * The names of a stream's groups, read from `GET /api/streams/{key}` (the stream detail). Used by
 * the requeue confirmation: on a stream read by several groups the copy reaches every group.
 * Typed loosely on purpose: only `groups[].name` is relied on.
 */
import { apiFetch, seg } from "./fetcher";

export async function fetchStreamGroupNames(key: string): Promise<string[] | null> {
  const detail = await apiFetch<{ groups?: { name?: unknown }[] }>(`/api/streams/${seg(key)}`);
  if (!Array.isArray(detail.groups)) return null;
  return detail.groups.map((g) => (typeof g.name === "string" ? g.name : "")).filter(Boolean);
}
