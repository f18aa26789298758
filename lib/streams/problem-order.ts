import { resolveGroupRule } from "@/lib/config/resolve";
import type { GroupRuleConfig } from "@/lib/contract/config";
import { compareIds, isValidId } from "@/lib/contract/ids";
import { countedUnder, type KeptGroup, type StuckSnapshot } from "./stuck-snapshot";

/** What the stuck snapshot says of one stream: its groups' stuck messages summed, and the oldest pending id over them. */
export interface StreamProblem {
  stuck: number;
  oldestId: string | null;
}

/**
 * The stream index's "problems first" order: `keys` (in key order, already filtered by the
 * caller) reordered by the kept stuck snapshot (./stuck-snapshot.ts). Streams with stuck messages
 * come first, most stuck first, ties by the oldest pending id (older first); then streams with
 * pending messages, oldest pending first; then the rest. Remaining ties keep the order of `keys`,
 * so the answer is deterministic for one snapshot. Groups of streams outside `keys` are ignored.
 *
 * `stuckAfterMsOf` is the threshold the settings give a group now: a group the snapshot counted
 * under another one (see countedUnder) keeps its oldest pending id but not its stuck count (the
 * rows read such a group live; the order has no Redis to read).
 *
 * O(keys + snapshot groups), plus sorting the streams the snapshot names; no Redis.
 */
export function problemsFirst(
  keys: readonly string[],
  snapshot: Pick<StuckSnapshot, "groups"> | null,
  stuckAfterMsOf?: (stream: string, group: string) => number,
): string[] {
  const groups = groupsByStream(snapshot?.groups ?? []);
  if (groups.size === 0) return [...keys];
  const problems: { key: string; at: number; stuck: number; oldestId: string | null }[] = [];
  const rest: string[] = [];
  keys.forEach((key, at) => {
    const of = groups.get(key);
    const problem = of ? streamProblem(key, of, stuckAfterMsOf) : null;
    if (problem) problems.push({ key, at, ...problem });
    else rest.push(key);
  });
  problems.sort(
    (a, b) =>
      Number(b.stuck > 0) - Number(a.stuck > 0) ||
      b.stuck - a.stuck ||
      compareOldest(a.oldestId, b.oldestId) ||
      a.at - b.at,
  );
  return [...problems.map((p) => p.key), ...rest];
}

const keptOrders = new WeakMap<StuckSnapshot, { keys: readonly string[]; rules: string; order: string[] }>();

/**
 * problemsFirst under the group rules, kept per snapshot: a snapshot lives a worker tick, and
 * every page and poll of the overview in that tick asks for the same order (on 100,000 streams and
 * 20,000 groups, about 60 ms each time). Computed again when the snapshot, the list of keys (a new
 * array from the index) or the rules change. The answer is shared: callers must not change it.
 */
export function problemsFirstKept(
  keys: readonly string[],
  snapshot: StuckSnapshot,
  rules: readonly GroupRuleConfig[],
): readonly string[] {
  const rulesKey = JSON.stringify(rules);
  const kept = keptOrders.get(snapshot);
  if (kept && kept.keys === keys && kept.rules === rulesKey) return kept.order;
  const order = problemsFirst(keys, snapshot, (stream, group) => resolveGroupRule(rules, stream, group).stuckAfterMs);
  keptOrders.set(snapshot, { keys, rules: rulesKey, order });
  return order;
}

function groupsByStream(groups: readonly KeptGroup[]): Map<string, KeptGroup[]> {
  const out = new Map<string, KeptGroup[]>();
  for (const g of groups) {
    const list = out.get(g.stream);
    if (list) list.push(g);
    else out.set(g.stream, [g]);
  }
  return out;
}

/** The stream's stuck count and oldest pending id; null when no group has anything pending. */
export function streamProblem(
  stream: string,
  groups: readonly KeptGroup[],
  stuckAfterMsOf?: (stream: string, group: string) => number,
): StreamProblem | null {
  let stuck = 0;
  let oldestId: string | null = null;
  for (const g of groups) {
    const id = typeof g.oldestId === "string" && isValidId(g.oldestId) ? g.oldestId : null;
    const counted = !stuckAfterMsOf || countedUnder(g, stuckAfterMsOf(stream, g.group));
    const n = counted && Number.isFinite(g.stuck) && g.stuck > 0 ? g.stuck : 0;
    stuck += n;
    if (id !== null && (oldestId === null || compareIds(id, oldestId) < 0)) oldestId = id;
  }
  return stuck > 0 || oldestId !== null ? { stuck, oldestId } : null;
}

/** Older first; a stream without a known oldest id after those with one. */
function compareOldest(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareIds(a, b);
}
