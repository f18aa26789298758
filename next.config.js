// @ts-check
/** Headers on every answer; the page CSP (nonce-based) is set per request in proxy.ts. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  // Operational data: no search engine indexes a dashboard it reaches (public/robots.txt says the same).
  { key: "X-Robots-Tag", value: "noindex, nofollow" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Responses are not gzipped by Node: on 10,000 streams gzip cost ~7% of the overview time
  // (bench/overview.ts). Put a compressing reverse proxy in front for remote browsers.
  compress: false,
  serverExternalPackages: ["ioredis"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // JSON answers: nothing loads, nothing frames (pages get theirs from proxy.ts).
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

module.exports = nextConfig;
