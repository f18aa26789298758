/** Typed browser client for background bulk jobs (one function per endpoint). */
import { apiFetch, postJson, seg } from "./fetcher";
import type { ActionBody } from "./pending";
import type { JobListResponse, JobResponse } from "@/lib/contract/jobs";
import type { PendingAction } from "@/lib/contract/pending";
import type { ReapBody } from "@/lib/contract/reap";

const groupPath = (key: string, group: string) => `/api/streams/${seg(key)}/groups/${seg(group)}`;

/** The action's body with only the options it takes, as the synchronous call sends it, and its pace. */
function actionBody(action: PendingAction, body: ActionBody): Record<string, unknown> {
  const out: Record<string, unknown> = body.ids ? { ids: body.ids } : { filter: body.filter ?? {} };
  if (action === "claim") Object.assign(out, { consumer: body.consumer ?? "", minIdleMs: body.minIdleMs ?? 0 });
  if (action === "requeue" && body.allGroups) out.allGroups = true;
  if (action === "dead-letter" && body.target) out.target = body.target;
  if (body.pacePerSecond) out.pacePerSecond = body.pacePerSecond;
  return out;
}

export const jobsClient = {
  /** Starts the action as a background job (the server answers 202 at once). */
  start: (key: string, group: string, action: PendingAction, body: ActionBody) =>
    postJson<JobResponse>(`${groupPath(key, group)}/${action}`, { ...actionBody(action, body), background: true }),
  /** The bulk consumer reaper as a background job. */
  startReap: (key: string, group: string, body: ReapBody) =>
    postJson<JobResponse>(`${groupPath(key, group)}/reap`, { ...body, bulk: true, dryRun: false, background: true }),
  list: (key: string, group: string) => apiFetch<JobListResponse>(`${groupPath(key, group)}/jobs`),
  get: (id: string) => apiFetch<JobResponse>(`/api/jobs/${seg(id)}`),
  cancel: (id: string) => postJson<JobResponse>(`/api/jobs/${seg(id)}/cancel`, {}),
};
