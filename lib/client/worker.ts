import { apiFetch } from "./fetcher";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";

export const workerClient = {
  status: () => apiFetch<WorkerStatus>("/api/worker"),
  /** Runs one full tick now; rejects with ApiError CONFLICT (409) while another tick stays busy. */
  runTick: () => apiFetch<TickResult>("/api/worker", { method: "POST", body: "{}" }),
};
