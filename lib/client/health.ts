import type { HealthResponse } from "@/lib/contract/common";

export const healthClient = {
  /** Health answers 503 with a body we want to read, so it does not go through apiFetch's throw. */
  async check(): Promise<HealthResponse> {
    try {
      const res = await fetch("/api/health", { cache: "no-store" });
      return (await res.json()) as HealthResponse;
    } catch {
      return { status: "error", error: { code: "INTERNAL", message: "The dashboard server is unreachable" } };
    }
  },
};
