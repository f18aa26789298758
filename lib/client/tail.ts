import { seg, withQuery } from "./fetcher";

/** `GET /api/streams/{key}/tail` (Server-Sent Events; see tail-types.ts), for an EventSource. */
export function tailUrl(key: string, from?: string): string {
  return withQuery(`/api/streams/${seg(key)}/tail`, { from });
}
