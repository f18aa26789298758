import { apiFetch } from "./fetcher";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";

export function fetchWorkerStatus(): Promise<WorkerStatus> {
  return apiFetch<WorkerStatus>("/api/worker");
}

/** Runs one full tick now; rejects with ApiError CONFLICT (409) while another tick stays busy. */
export function runWorkerTick(): Promise<TickResult> {
  return apiFetch<TickResult>("/api/worker", { method: "POST", body: "{}" });
}
