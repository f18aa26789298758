import { alertsJob } from "./alerts";
import { expiryGuardJob } from "./expiry-guard";
import { historyJob } from "./history";
import { reapJob } from "./reap";
import { reclaimJob } from "./reclaim";
import { rotationJob } from "./rotation";
import { stuckSnapshotJob } from "./stuck-snapshot";
import { trimJob } from "./trim";
import type { WorkerJob } from "../types";

/** Every job of a tick, in the order they run: the ones changing streams first, then history, alerts and the stuck snapshot. */
export const WORKER_JOBS: readonly WorkerJob[] = [
  rotationJob,
  expiryGuardJob,
  reclaimJob,
  trimJob,
  reapJob,
  historyJob,
  alertsJob,
  stuckSnapshotJob,
];

export { alertsJob, expiryGuardJob, historyJob, reapJob, reclaimJob, rotationJob, stuckSnapshotJob, trimJob };
