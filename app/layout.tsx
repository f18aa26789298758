import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";
import { Nav } from "@/components/layout/nav";
import { RedisStatusBanner } from "@/components/layout/redis-status-banner";
import { AlertBanner } from "@/components/alerts/alert-banner";

export const metadata: Metadata = {
  title: { default: "Streamscope", template: "%s · Streamscope" },
  description: "Redis Streams dashboard: stream health, pending messages, actions and alerts",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <RedisStatusBanner />
          <AlertBanner />
          <Nav />
          <main className="mx-auto max-w-screen-2xl px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
