/**
 * The background worker. `tick()` runs the jobs listed in `./jobs/index.ts` (rotation, expiry
 * guard, reclaim, trim, history, alerts), each at its own cadence, one tick at a time across
 * instances (Redis lock). The jobs of a tick share one slice of streams and one snapshot of it
 * (`./tick-streams.ts`). Other features read what the worker found:
 *  - in the same tick: `ctx.earlier["expiry-guard"].findings` (JobContext.earlier);
 *  - any time: `readLatestFindings(redis)` (guard + rotation findings of the last tick that ran
 *    the guard) or `readLastTick(redis)`.
 */
export { tick, allJobs, type TickOptions } from "./tick";
export { WORKER_JOBS } from "./jobs";
export { getWorkerStatus, readTicks, readLastTick, readLatestFindings, scopeTick } from "./status";
export type { JobContext, JobResult, WorkerJob, WorkerFinding } from "./types";
export type { TickResult, JobRun, WorkerStatus } from "@/lib/contract/worker";
