/** Pure resolution of per-group rules from settings; no I/O. */
import { globMatch } from "@/lib/shared/glob";
import { GROUP_DEFAULTS, type GroupRuleConfig, type ResolvedGroupRule } from "@/lib/contract/config";

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
    matchedRule: index >= 0 ? index : null,
  };
}

/** `<stream>` in a dead-letter target becomes the stream's key. */
export function deadLetterTarget(template: string, stream: string): string {
  return template.split("<stream>").join(stream);
}
