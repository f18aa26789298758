/** What the operator asked for, and the request body it becomes. Pure; tested. */
import { ApiError } from "@/lib/client/fetcher";
import type { PendingAction, PendingFilter } from "@/lib/contract/pending";
import type { ActionBody } from "@/lib/client/pending";

export type ActionTarget =
  { kind: "ids"; ids: string[] } | { kind: "filter"; filter: PendingFilter; description: string };

export interface ActionRequest {
  action: PendingAction;
  target: ActionTarget;
  /** claim: initial min idle (the idle the operator saw, so a live consumer's fresh take is kept). */
  suggestedMinIdleMs?: number;
  /** claim: consumer to preselect. */
  suggestedConsumer?: string;
}

export interface ActionOptions {
  consumer?: string;
  minIdleMs?: number;
  allGroups?: boolean;
  deadLetterTarget?: string;
  /** Background jobs only: at most this many messages a second. */
  pacePerSecond?: number;
}

/** The paces the dialog offers a background job (null: as fast as possible). */
export const PACE_CHOICES: readonly { label: string; pace: number | null }[] = [
  { label: "As fast as possible", pace: null },
  { label: "10,000 per second", pace: 10_000 },
  { label: "1,000 per second", pace: 1_000 },
  { label: "100 per second", pace: 100 },
];

export type { ActionBody };

/** The body for the action's POST; only the options that action takes are included. */
export function buildActionBody(req: ActionRequest, opts: ActionOptions): ActionBody {
  const body: ActionBody = req.target.kind === "ids" ? { ids: req.target.ids } : { filter: req.target.filter };
  if (req.action === "claim") {
    body.consumer = opts.consumer ?? "";
    body.minIdleMs = opts.minIdleMs ?? 0;
  }
  if (req.action === "requeue" && opts.allGroups) body.allGroups = true;
  if (req.action === "dead-letter" && opts.deadLetterTarget?.trim()) body.target = opts.deadLetterTarget.trim();
  if (opts.pacePerSecond) body.pacePerSecond = opts.pacePerSecond;
  return body;
}

/** How many messages the request names, when known without a dry run. */
export function knownCount(req: ActionRequest): number | null {
  return req.target.kind === "ids" ? req.target.ids.length : null;
}

/** A claim request with the same target (the "Claim instead" offer on a several-groups stream). */
export function asClaim(req: ActionRequest): ActionRequest {
  return { ...req, action: "claim" };
}

/** Smallest idle among rows: the safe min-idle for claiming all of them. */
export function minIdleOf(rows: readonly { idleMs: number }[]): number {
  return rows.length === 0 ? 0 : Math.min(...rows.map((r) => r.idleMs));
}

/** The server refused a requeue because the stream has several groups (the dialog offers allGroups or a claim). */
export function isAllGroupsRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.code === "REQUEUE_NEEDS_ALL_GROUPS";
}
