/**
 * Next 16 hands page `params` still percent-encoded (route handlers get them decoded), so a page
 * decodes its own segments. A malformed escape is kept as it came.
 */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
