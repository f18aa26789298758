/**
 * Webhook URL rules, shared by the config schema (file and settings PUT, also in the browser)
 * and the sender (lib/alerts/webhook.ts), which checks the address it actually connects to.
 * Webhook URLs carry secrets: answers show them masked (scheme and host only).
 */

/** `https://hooks.example.com/***`: what every answer shows instead of a webhook URL. */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/***`;
  } catch {
    return "***";
  }
}

/** True for a value produced by maskWebhookUrl (a PUT sending it back keeps the stored URL). */
export function isMaskedWebhookUrl(url: string): boolean {
  return url === "***" || (url.endsWith("/***") && maskWebhookUrl(url) === url);
}

function ipv4Private(ip: string): boolean {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return false;
  const [a, b] = parts as [number, number, number, number];
  return (
    a === 0 || // "this network", 0.0.0.0 reaches the local host
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata endpoints
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

function ipv6Private(ip: string): boolean {
  const lower = ip.toLowerCase().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return ipv4Private(mapped[1]!);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return ipv4Private(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (lower === "::" || lower === "::1") return true;
  const first = parseInt(lower.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // old site-local
    (first & 0xff00) === 0xff00 // multicast
  );
}

/** Loopback, link-local, private, CGNAT, unspecified, multicast (IPv4, IPv6, IPv4-mapped). */
export function isPrivateAddress(ip: string): boolean {
  return ip.includes(":") ? ipv6Private(ip) : ipv4Private(ip);
}

const IPV4_LITERAL = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * Why this webhook URL is refused, or null. http(s) only; a host that is a loopback, link-local
 * or private address (or `localhost`) only with `allowPrivate`. Names resolving to such
 * addresses are refused when sending.
 */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "not a URL";
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `scheme ${u.protocol} not allowed (http or https only)`;
  if (allowPrivate) return null;
  const host = u.hostname.toLowerCase().replace(/\.$/, "");
  const literal = host.startsWith("[") || IPV4_LITERAL.test(host);
  if (host === "localhost" || host.endsWith(".localhost") || (literal && isPrivateAddress(host))) {
    return `${u.hostname} is a loopback, link-local or private address (set alerts.allowPrivateWebhooks: true in the config file to allow it)`;
  }
  return null;
}
