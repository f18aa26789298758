/** Typed browser client for the group, pending, action and admin endpoints (one function each). */
import { apiFetch, postJson, seg, withQuery } from "./fetcher";
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
  PendingPageResponse,
  PendingQuery,
  PublishBody,
  PublishResponse,
  RedriveBody,
  RedriveResponse,
  RequeueBody,
  RequeueResponse,
  SetIdBody,
  SetIdResponse,
} from "@/lib/contract/pending";

const groupPath = (key: string, group: string) => `/api/streams/${seg(key)}/groups/${seg(group)}`;

type NoDryRun<T> = Omit<T, "dryRun">;

export function fetchGroup(key: string, group: string): Promise<GroupDetailResponse> {
  return apiFetch(groupPath(key, group));
}

export function fetchPending(key: string, group: string, query: PendingQuery = {}): Promise<PendingPageResponse> {
  const { withFields, ...rest } = query;
  return apiFetch(withQuery(`${groupPath(key, group)}/pending`, { ...rest, withFields: withFields ? 1 : undefined }));
}

export function fetchIdleHistogram(key: string, group: string): Promise<IdleHistogramResponse> {
  return apiFetch(`${groupPath(key, group)}/idle-histogram`);
}

export function ackPending(key: string, group: string, body: NoDryRun<AckBody>): Promise<AckResponse> {
  return postJson(`${groupPath(key, group)}/ack`, body);
}

export function claimPending(key: string, group: string, body: NoDryRun<ClaimBody>): Promise<ClaimResponse> {
  return postJson(`${groupPath(key, group)}/claim`, body);
}

export function requeuePending(key: string, group: string, body: NoDryRun<RequeueBody>): Promise<RequeueResponse> {
  return postJson(`${groupPath(key, group)}/requeue`, body);
}

export function deadLetterPending(key: string, group: string, body: NoDryRun<DeadLetterBody>): Promise<DeadLetterResponse> {
  return postJson(`${groupPath(key, group)}/dead-letter`, body);
}

export function deletePending(key: string, group: string, body: NoDryRun<DeleteBody>): Promise<DeleteResponse> {
  return postJson(`${groupPath(key, group)}/delete`, body);
}

type ActionBody = NoDryRun<AckBody> | NoDryRun<ClaimBody> | NoDryRun<RequeueBody> | NoDryRun<DeadLetterBody>;

/** Dry run of any action: how many messages it would touch, nothing changed. */
export function previewPendingAction(
  key: string,
  group: string,
  action: PendingAction,
  body: ActionBody,
): Promise<DryRunResponse> {
  return postJson(`${groupPath(key, group)}/${action}`, { ...body, dryRun: true });
}

export function redriveMessages(dlqKey: string, body: NoDryRun<RedriveBody>): Promise<RedriveResponse> {
  return postJson(`/api/streams/${seg(dlqKey)}/redrive`, body);
}

export function previewRedrive(dlqKey: string, body: NoDryRun<RedriveBody>): Promise<DryRunResponse> {
  return postJson(`/api/streams/${seg(dlqKey)}/redrive`, { ...body, dryRun: true });
}

export function createGroup(key: string, body: CreateGroupBody): Promise<CreateGroupResponse> {
  return postJson(`/api/streams/${seg(key)}/groups`, body);
}

export function deleteGroup(key: string, group: string): Promise<DeleteGroupResponse> {
  return apiFetch(groupPath(key, group), { method: "DELETE" });
}

export function setGroupId(key: string, group: string, body: SetIdBody): Promise<SetIdResponse> {
  return postJson(`${groupPath(key, group)}/setid`, body);
}

export function deleteConsumer(key: string, group: string, consumer: string): Promise<DeleteConsumerResponse> {
  return apiFetch(`${groupPath(key, group)}/consumers/${seg(consumer)}`, { method: "DELETE" });
}

/** A fresh Idempotency-Key (getRandomValues: also on plain-http hosts, unlike randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sending the same key again (a retry) adds the message at most once. */
export function publishMessage(key: string, body: PublishBody, idempotencyKey = newIdempotencyKey()): Promise<PublishResponse> {
  return apiFetch(`/api/streams/${seg(key)}/messages`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "idempotency-key": idempotencyKey },
  });
}
