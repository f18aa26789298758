/**
 * Which cached queries a change makes stale: exactly those, no more. Pure; tested in
 * tests/unit/affected-keys.test.ts. Every key comes from the query-key factory; `exact: false`
 * means "this key and every key under it", so a prefix such as `summaries` reaches the overview's
 * `["streams", "summary", {match}]` whatever its parameters.
 */
import { queryKeys } from "@/lib/client/query-keys";
import type { PendingAction } from "@/lib/contract/pending";

export interface StaleKey {
  queryKey: readonly unknown[];
  exact: boolean;
}

export type Change =
  | { kind: PendingAction; stream: string; group: string; target?: string }
  | { kind: "create-group" | "delete-group" | "publish" | "trim"; stream: string }
  | { kind: "setid" | "delete-consumer" | "reap"; stream: string; group: string }
  /** `stream` is the dead-letter stream; `origins` the streams its entries went back to. */
  | { kind: "redrive"; stream: string; origins: readonly string[] }
  /** A worker tick run by hand: it can change any stream (rotation, reclaim, trim) and the alerts. */
  | { kind: "worker-tick" };

const k = queryKeys.streams;
const under = (queryKey: readonly unknown[]): StaleKey => ({ queryKey, exact: false });
const only = (queryKey: readonly unknown[]): StaleKey => ({ queryKey, exact: true });

/** The numbers every stream change moves: the stream list pages and the overview tiles. */
const overview: StaleKey[] = [under(k.lists), under(k.summaries)];

/** Keys for a change that stays inside one group's PEL (the stream's entries keep their ids). */
function oneGroup(stream: string, group: string): StaleKey[] {
  return [
    under(k.group(stream, group)),
    only(k.detail(stream)),
    only(k.groups(stream)),
    under(k.entriesAll(stream)),
    ...overview,
  ];
}

/** Keys for a change that every group of the stream sees (new or deleted entries, groups). */
function wholeStream(stream: string): StaleKey[] {
  return [under(k.detail(stream)), ...overview];
}

/** The server re-evaluates the alerts of the streams a message action changed. */
const alerts = under(queryKeys.alerts.all);

export function affectedKeys(change: Change): StaleKey[] {
  switch (change.kind) {
    case "ack":
    case "claim":
    case "reap":
      return [...oneGroup(change.stream, change.group), alerts];
    case "delete-consumer":
      return oneGroup(change.stream, change.group);
    case "dead-letter":
      // The target the server answered (its default depends on the deployment: never guessed here).
      return [
        ...oneGroup(change.stream, change.group),
        ...(change.target !== undefined ? [under(k.detail(change.target))] : []),
        alerts,
      ];
    case "setid":
      // Moving last-delivered-id changes the group's lag and every entry's state for it.
      return oneGroup(change.stream, change.group);
    case "requeue":
    case "delete":
      return [...wholeStream(change.stream), alerts];
    case "create-group":
    case "delete-group":
    case "publish":
    case "trim":
      return wholeStream(change.stream);
    case "redrive":
      return [under(k.detail(change.stream)), ...change.origins.map((origin) => under(k.detail(origin))), ...overview];
    case "worker-tick":
      return [under(queryKeys.worker.all), under(k.all), alerts];
  }
}
