import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";
import { Nav } from "@/components/layout/nav";
import { RedisStatusBanner } from "@/components/layout/redis-status-banner";
import { AlertBanner } from "@/components/alerts/alert-banner";
import { LocalModeBanner } from "@/components/auth/local-mode-banner";
import { KeyboardShortcuts } from "@/components/layout/keyboard-shortcuts";
import { isLocalMode } from "@/lib/auth/mode";

export const metadata: Metadata = {
  title: { default: "Streamscope", template: "%s · Streamscope" },
  description: "Redis Streams dashboard: stream health, pending messages, actions and alerts",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request: the nonce-based CSP (proxy.ts) needs every page dynamic.
  const localMode = await isLocalMode();
  return (
    <html lang="en">
      <body>
        <Providers>
          <LocalModeBanner localMode={localMode} />
          <RedisStatusBanner />
          <AlertBanner />
          <Nav />
          <main className="mx-auto max-w-screen-2xl px-4 py-6">{children}</main>
          <KeyboardShortcuts />
        </Providers>
      </body>
    </html>
  );
}
