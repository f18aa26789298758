/**
 * Where to go after login: only a path on this site. The value is parsed the way a browser will
 * parse it (the URL parser drops tabs and newlines and reads `\` as `/`), and accepted only when
 * it stays on our origin; the normalised path is returned, so the browser gets what was checked.
 */
const BASE = new URL("http://streamscope.invalid/");

export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE.origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  return path;
}
