/**
 * The page Content-Security-Policy: scripts only from our origin or carrying this request's
 * nonce (Next.js puts it on its own inline bootstrap scripts when it finds it in the request's
 * CSP header). Styles allow inline attributes: React style props and chart libraries use them,
 * and style injection is far less dangerous than script injection.
 */
export function pageCsp(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For JSON and other non-page answers: nothing may load, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
