import { seg, withQuery } from "./fetcher";

/** `GET /api/streams/{key}/tail` (Server-Sent Events; see lib/contract/tail.ts), for an EventSource. */
export function tailUrl(key: string, from?: string): string {
  return withQuery(`/api/streams/${seg(key)}/tail`, { from });
}
