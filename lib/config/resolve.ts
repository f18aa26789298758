/** Pure resolution of per-group rules from settings; no I/O. */
import { globMatch } from "@/lib/shared/glob";
import { GROUP_DEFAULTS, type GroupRuleConfig, type ResolvedGroupRule } from "@/lib/contract/config";
import { hashTagOf, slotOf, tagForSlot } from "@/lib/redis/slots";

export function resolveGroupRule(rules: readonly GroupRuleConfig[], stream: string, group: string): ResolvedGroupRule {
  const index = rules.findIndex((r) => globMatch(r.stream, stream) && globMatch(r.group, group));
  const rule = index >= 0 ? rules[index] : undefined;
  return {
    stuckAfterMs: rule?.stuckAfterMs ?? GROUP_DEFAULTS.stuckAfterMs,
    policy: rule?.policy ?? GROUP_DEFAULTS.policy,
    maxDeliveries: rule?.maxDeliveries ?? GROUP_DEFAULTS.maxDeliveries,
    deadLetter: rule?.deadLetter ?? GROUP_DEFAULTS.deadLetter,
    trim: rule?.trim ?? GROUP_DEFAULTS.trim,
    allGroups: rule?.allGroups ?? GROUP_DEFAULTS.allGroups,
    ...(rule?.reassignTo ? { reassignTo: rule.reassignTo } : {}),
    ...(rule?.reapAfterMs !== undefined ? { reapAfterMs: rule.reapAfterMs } : {}),
    reapPolicy: rule?.reapPolicy ?? GROUP_DEFAULTS.reapPolicy,
    matchedRule: index >= 0 ? index : null,
  };
}

/**
 * `<stream>` in a dead-letter target becomes the stream's key. On a Redis Cluster the default
 * template (`<stream>:dlq`) lands in the stream's own slot, so the move stays one atomic script:
 * `{<stream>}:dlq` for a key without a hash tag (hashes exactly like `<stream>`), `<stream>:dlq`
 * for a key with one (the tag comes along). Other templates are the user's choice, taken as written.
 */
export function deadLetterTarget(template: string, stream: string, opts: { cluster?: boolean } = {}): string {
  if (opts.cluster && template === GROUP_DEFAULTS.deadLetter) return beside(stream, ":dlq");
  return template.split("<stream>").join(stream);
}

/** `<stream><suffix>` moved into the stream's cluster slot (see deadLetterTarget). */
function beside(stream: string, suffix: string): string {
  if (hashTagOf(stream) !== null) return stream + suffix;
  if (!stream.includes("{") && !stream.includes("}")) return `{${stream}}${suffix}`;
  // Braces without a tag: the whole key is hashed; a computed tag puts the target in its slot.
  return `{${tagForSlot(slotOf(stream))}}${stream}${suffix}`;
}
