import { alertsJob } from "@/lib/alerts/job";
import { historyJob } from "@/lib/history/job";
import type { WorkerJob } from "./types";

/**
 * Jobs that run after the built-in ones (rotation, expiry guard, reclaim, trim), in order.
 * Other features register here: e.g. `alertsJob` (lib/alerts) and `historyJob` (lib/history).
 */
export const extraJobs: WorkerJob[] = [historyJob, alertsJob];
