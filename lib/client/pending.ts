/** Typed browser client for the group, pending, action and admin endpoints (one function each). */
import { apiFetch, postJson, seg, withQuery } from "./fetcher";
import type { DeliveriesResponse } from "@/lib/contract/deliveries";
import type { ReapBody, ReapResponse } from "@/lib/contract/reap";
import type {
  AckBody,
  AckResponse,
  ClaimBody,
  ClaimResponse,
  CreateGroupBody,
  CreateGroupResponse,
  DeadLetterBody,
  DeadLetterResponse,
  DeleteBody,
  DeleteConsumerResponse,
  DeleteGroupResponse,
  DeleteResponse,
  DryRunResponse,
  GroupDetailResponse,
  IdleHistogramResponse,
  PendingAction,
  PendingFilter,
  PendingPageResponse,
  PendingQuery,
  PublishBody,
  PublishResponse,
  RedriveBody,
  RedriveMatchingBody,
  RedriveMatchingResponse,
  RedriveResponse,
  RequeueBody,
  RequeueResponse,
  SetIdBody,
  SetIdResponse,
} from "@/lib/contract/pending";

const groupPath = (key: string, group: string) => `/api/streams/${seg(key)}/groups/${seg(group)}`;

type NoDryRun<T> = Omit<T, "dryRun">;

/** What the action dialog collects for any message action; each action sends only the options it takes. */
export type ActionBody = {
  ids?: string[];
  filter?: PendingFilter;
  consumer?: string;
  minIdleMs?: number;
  allGroups?: boolean;
  target?: string;
  /** Background jobs only (jobsClient.start sends it). */
  pacePerSecond?: number;
};

type AnyActionBody = NoDryRun<AckBody> | NoDryRun<ClaimBody> | NoDryRun<RequeueBody> | NoDryRun<DeadLetterBody>;

/** A fresh Idempotency-Key (getRandomValues: also on plain-http hosts, unlike randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const pendingClient = {
  group: (key: string, group: string) => apiFetch<GroupDetailResponse>(groupPath(key, group)),

  page(key: string, group: string, query: PendingQuery = {}) {
    const { withFields, ...rest } = query;
    return apiFetch<PendingPageResponse>(
      withQuery(`${groupPath(key, group)}/pending`, { ...rest, withFields: withFields ? 1 : undefined }),
    );
  },

  idleHistogram: (key: string, group: string) =>
    apiFetch<IdleHistogramResponse>(`${groupPath(key, group)}/idle-histogram`),

  reap: (key: string, group: string, body: ReapBody) => postJson<ReapResponse>(`${groupPath(key, group)}/reap`, body),

  deliveries: (key: string, group: string, over: number) =>
    apiFetch<DeliveriesResponse>(withQuery(`${groupPath(key, group)}/deliveries`, { over })),

  ack: (key: string, group: string, body: NoDryRun<AckBody>) =>
    postJson<AckResponse>(`${groupPath(key, group)}/ack`, body),
  claim: (key: string, group: string, body: NoDryRun<ClaimBody>) =>
    postJson<ClaimResponse>(`${groupPath(key, group)}/claim`, body),
  requeue: (key: string, group: string, body: NoDryRun<RequeueBody>) =>
    postJson<RequeueResponse>(`${groupPath(key, group)}/requeue`, body),
  deadLetter: (key: string, group: string, body: NoDryRun<DeadLetterBody>) =>
    postJson<DeadLetterResponse>(`${groupPath(key, group)}/dead-letter`, body),
  delete: (key: string, group: string, body: NoDryRun<DeleteBody>) =>
    postJson<DeleteResponse>(`${groupPath(key, group)}/delete`, body),

  /** Dry run of any action: how many messages it would touch, nothing changed. */
  preview: (key: string, group: string, action: PendingAction, body: AnyActionBody) =>
    postJson<DryRunResponse>(`${groupPath(key, group)}/${action}`, { ...body, dryRun: true }),

  redrive: (dlqKey: string, body: NoDryRun<RedriveBody>) =>
    postJson<RedriveResponse>(`/api/streams/${seg(dlqKey)}/redrive`, body),
  previewRedrive: (dlqKey: string, body: NoDryRun<RedriveBody>) =>
    postJson<DryRunResponse>(`/api/streams/${seg(dlqKey)}/redrive`, { ...body, dryRun: true }),
  /** `POST /api/streams/{key}/redrive-matching`: one bounded walk (`dryRun` only counts). */
  redriveMatching: (dlqKey: string, body: RedriveMatchingBody) =>
    postJson<RedriveMatchingResponse>(`/api/streams/${seg(dlqKey)}/redrive-matching`, body),

  createGroup: (key: string, body: CreateGroupBody) =>
    postJson<CreateGroupResponse>(`/api/streams/${seg(key)}/groups`, body),
  deleteGroup: (key: string, group: string) =>
    apiFetch<DeleteGroupResponse>(groupPath(key, group), { method: "DELETE" }),
  setGroupId: (key: string, group: string, body: SetIdBody) =>
    postJson<SetIdResponse>(`${groupPath(key, group)}/setid`, body),
  deleteConsumer: (key: string, group: string, consumer: string) =>
    apiFetch<DeleteConsumerResponse>(`${groupPath(key, group)}/consumers/${seg(consumer)}`, { method: "DELETE" }),

  /** Sending the same key again (a retry) adds the message at most once. */
  publish: (key: string, body: PublishBody, idempotencyKey = newIdempotencyKey()) =>
    apiFetch<PublishResponse>(`/api/streams/${seg(key)}/messages`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "idempotency-key": idempotencyKey },
    }),
};
