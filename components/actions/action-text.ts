/** Words for the message actions: confirmations, button names and outcome summaries. Pure; tested. */
import type { JobAction } from "@/lib/contract/jobs";
import type { PendingAction } from "@/lib/contract/pending";
import { formatNumber } from "@/lib/shared/format";

export type MessageAction = PendingAction;

export const ACTION_VERB: Record<MessageAction, string> = {
  ack: "Ack",
  claim: "Claim",
  requeue: "Requeue",
  "dead-letter": "Dead-letter",
  delete: "Delete",
};

/** A background job's action: the message actions and the consumer reaper's bulk mode. */
export const JOB_VERB: Record<JobAction, string> = { ...ACTION_VERB, reap: "Reap" };

export const ACTIONS: readonly MessageAction[] = ["ack", "claim", "requeue", "dead-letter", "delete"];

export const DESTRUCTIVE: Record<MessageAction, boolean> = {
  ack: true,
  claim: false,
  requeue: false,
  "dead-letter": true,
  delete: true,
};

export const messages = (n: number) => `${formatNumber(n)} ${n === 1 ? "message" : "messages"}`;

/** The confirming button: "Requeue 120 messages". */
export function confirmLabel(action: MessageAction, count: number | null): string {
  return count === null ? `${ACTION_VERB[action]} matching messages` : `${ACTION_VERB[action]} ${messages(count)}`;
}

export interface ConsequenceContext {
  stream: string;
  group: string;
  /** claim: the consumer that will own the messages. */
  consumer?: string;
  minIdleMs?: number;
  /** dead-letter: the target stream. */
  target?: string;
  /** requeue: how many groups read the stream (copies reach all of them). */
  groupCount?: number;
}

/** What will change, in one or two sentences, for the confirmation dialog. */
export function describeConsequence(action: MessageAction, count: number | null, ctx: ConsequenceContext): string {
  const what = count === null ? "the matching messages" : messages(count);
  switch (action) {
    case "ack":
      return `${what} will be acknowledged for group "${ctx.group}" and leave its pending list. No consumer of this group will process them again. The entries stay in the stream.`;
    case "claim":
      return `${what} will be handed to consumer "${ctx.consumer ?? "?"}" (only those still idle at least ${formatNumber(ctx.minIdleMs ?? 0)} ms, so a message a live consumer just took is not stolen). Their delivery count goes up by one. Ids whose message was deleted are dropped from the pending list.`;
    case "requeue": {
      const groups = ctx.groupCount ?? 1;
      const reach =
        groups > 1
          ? ` The copies reach all ${formatNumber(groups)} groups of this stream, not only "${ctx.group}".`
          : "";
      return `${what} will be copied to the end of stream "${ctx.stream}" (original fields plus streamscope- metadata) and the originals acknowledged, atomically, so consumers reading new messages get them again. Ids whose message was deleted are skipped.${reach}`;
    }
    case "dead-letter":
      return `${what} will be moved to the dead-letter stream "${ctx.target ?? `${ctx.stream}:dlq`}" and acknowledged for group "${ctx.group}" (atomically; on a Redis Cluster, a target in another slot is moved in two steps that lose nothing). Ids whose message was deleted are skipped. You can redrive them later from the dead-letter stream.`;
    case "delete":
      return `${what} will be acknowledged and deleted from stream "${ctx.stream}" (XDEL). Every group of the stream loses them. This cannot be undone.`;
  }
}

export type ActionResultLike = Partial<
  Record<"acked" | "claimed" | "deleted" | "requeued" | "skipped" | "moved" | "matched" | "twoStep", number>
> & { target?: string };

/** The toast after an action: "Requeued 120, skipped 3". */
export function summarizeResult(action: MessageAction, r: ActionResultLike): string {
  const n = (v: number | undefined) => formatNumber(v ?? 0);
  const extra = (label: string, v: number | undefined) => (v ? `, ${label} ${formatNumber(v)}` : "");
  switch (action) {
    case "ack":
      return `Acked ${n(r.acked)}`;
    case "claim":
      return `Claimed ${n(r.claimed)}${extra("message deleted for", r.deleted)}`;
    case "requeue":
      return `Requeued ${n(r.requeued)}${r.skipped !== undefined ? `, skipped ${n(r.skipped)}` : ""}`;
    case "dead-letter":
      return `Dead-lettered ${n(r.moved)}${r.target ? ` to ${r.target}` : ""}${r.skipped !== undefined ? `, skipped ${n(r.skipped)}` : ""}${r.twoStep ? ` (${n(r.twoStep)} in two steps: the target is in another cluster slot)` : ""}`;
    case "delete":
      return `Deleted ${n(r.deleted)}`;
  }
}

/** A job's final counts: a message action's toast, or "Reaped 30,000 consumers, kept 2". */
export function summarizeJobResult(
  action: JobAction,
  r: ActionResultLike & { kept?: number; handedOver?: number },
): string {
  if (action !== "reap") return summarizeResult(action, r);
  const n = (v: number | undefined) => formatNumber(v ?? 0);
  const moved = r.handedOver
    ? `, ${messages(r.handedOver)} handed over`
    : r.requeued
      ? `, ${messages(r.requeued)} requeued`
      : "";
  return `Reaped ${n(r.deleted)} ${r.deleted === 1 ? "consumer" : "consumers"}${moved}${r.kept ? `, kept ${n(r.kept)}` : ""}`;
}

/** How many messages an action changed (for "nothing matched" warnings). */
export function changedCount(action: MessageAction, r: ActionResultLike): number {
  switch (action) {
    case "ack":
      return r.acked ?? 0;
    case "claim":
      return r.claimed ?? 0;
    case "requeue":
      return r.requeued ?? 0;
    case "dead-letter":
      return r.moved ?? 0;
    case "delete":
      return r.deleted ?? 0;
  }
}

/** The first `max` of `total` items, as a dialog shows them: "a, b, c and 7 more". */
export function listText(items: readonly string[], max: number, total = items.length): string {
  const shown = items.slice(0, max);
  const more = total - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${formatNumber(more)} more` : shown.join(", ");
}

/** The ids an action targets, as shown in its dialog: "1-0, 2-0, 3-0 and 7 more". */
export function idsText(ids: readonly string[], max = 5): string {
  return listText(ids, max);
}

/** A stream's groups as the requeue warning names them: the first 10 of the names listed, and how many more. */
export function groupsText(groups: { names: readonly string[]; total: number }): string {
  return listText(groups.names, 10, groups.total);
}

/** The dialog's title: "Ack message 1-0?" for one id, "Ack 3 messages?" otherwise. */
export function dialogTitle(action: MessageAction, ids: readonly string[] | null, matched: number | null): string {
  if (ids && ids.length === 1) return `${ACTION_VERB[action]} message ${ids[0]}?`;
  return `${ACTION_VERB[action]} ${matched === null ? "matching messages" : messages(matched)}?`;
}
