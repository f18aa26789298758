/**
 * Next 16 hands a page's dynamic segments over still percent-encoded ("a%3Ab" for key "a:b"),
 * while route handlers and generateMetadata get them decoded (vercel/next.js#48058). Pages
 * decode their segments once with this; a malformed sequence is kept as it came.
 */
export function decodePageParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
