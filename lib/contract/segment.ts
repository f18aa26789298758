/**
 * Keys, group and consumer names as URL path segments. A segment `.` or `..` is resolved away by
 * every URL parser (also spelled `%2E`), so such a name travels behind a `~`: `.` is `~.`, `..` is
 * `~..`, and a name made of tildes and one or two dots (`~.`) gets one more `~`. Every other name
 * is plain `encodeURIComponent`. Links, the API client, pages and route handlers all use these.
 */
const DOT_NAME = /^~*\.\.?$/;
const ESCAPED_DOT_NAME = /^~+\.\.?$/;

export function encodeSegment(name: string): string {
  return encodeURIComponent(DOT_NAME.test(name) ? `~${name}` : name);
}

/** The name from a segment that is already percent-decoded (route handler params). */
export function unescapeSegment(decoded: string): string {
  return ESCAPED_DOT_NAME.test(decoded) ? decoded.slice(1) : decoded;
}

/**
 * Next 16 hands page `params` still percent-encoded (route handlers get them decoded), so a page
 * decodes its own segments. A malformed escape is kept as it came.
 */
export function decodeSegment(raw: string): string {
  try {
    return unescapeSegment(decodeURIComponent(raw));
  } catch {
    return raw;
  }
}
