/**
 * Which cached queries a change makes stale: exactly those, no more. Pure; tested in
 * tests/unit/affected-keys.test.ts. `exact: false` means "this key and every key under it".
 */
import { queryKeys } from "@/lib/client/query-keys";
import type { PendingAction } from "@/lib/contract/pending";

export interface StaleKey {
  queryKey: readonly unknown[];
  exact: boolean;
}

export type Change =
  | { kind: PendingAction; stream: string; group: string; target?: string }
  | { kind: "create-group" | "delete-group" | "publish"; stream: string }
  | { kind: "setid" | "delete-consumer"; stream: string; group: string };

const k = queryKeys.streams;
const under = (queryKey: readonly unknown[]): StaleKey => ({ queryKey, exact: false });
const only = (queryKey: readonly unknown[]): StaleKey => ({ queryKey, exact: true });

/** Keys for a change that stays inside one group's PEL (the stream's entries keep their ids). */
function oneGroup(stream: string, group: string): StaleKey[] {
  return [under(k.group(stream, group)), only(k.detail(stream)), only(k.groups(stream)), under(k.entriesAll(stream)), under(k.lists), only(k.summary)];
}

/** Keys for a change that every group of the stream sees (new or deleted entries, groups). */
function wholeStream(stream: string): StaleKey[] {
  return [under(k.detail(stream)), under(k.lists), only(k.summary)];
}

/** The server re-evaluates the alerts of the streams a message action changed. */
const alerts = under(queryKeys.alerts.all);

export function affectedKeys(change: Change): StaleKey[] {
  switch (change.kind) {
    case "ack":
    case "claim":
      return [...oneGroup(change.stream, change.group), alerts];
    case "delete-consumer":
      return oneGroup(change.stream, change.group);
    case "dead-letter":
      return [...oneGroup(change.stream, change.group), under(k.detail(change.target ?? `${change.stream}:dlq`)), alerts];
    case "setid":
      // Moving last-delivered-id changes the group's lag and every entry's state for it.
      return oneGroup(change.stream, change.group);
    case "requeue":
    case "delete":
      return [...wholeStream(change.stream), alerts];
    case "create-group":
    case "delete-group":
    case "publish":
      return wholeStream(change.stream);
  }
}
