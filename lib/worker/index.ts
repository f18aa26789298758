export { tick, allJobs, BUILTIN_JOBS, type TickOptions } from "./tick";
export { getWorkerStatus, readTicks, readLastTick, readLatestFindings } from "./status";
export type { JobContext, JobResult, WorkerJob, WorkerFinding } from "./types";
export type { TickResult, JobRun, WorkerStatus } from "@/lib/api/worker-types";
