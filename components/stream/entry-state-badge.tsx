import type { GroupEntryState } from "@/lib/contract/entries";
import { Badge } from "@/components/ui/badge";
import { STATE_EXPLANATIONS } from "@/lib/shared/states";
import { stateText, stateTone } from "./entry-display";

export function EntryStateBadge({ group, state }: { group: string; state: GroupEntryState }) {
  return (
    <span className="inline-flex items-center gap-1" data-group={group} data-state={state.state}>
      <span className="font-mono text-xs text-slate-500">{group}:</span>
      <Badge tone={stateTone(state)} title={STATE_EXPLANATIONS[state.state]}>
        {stateText(state)}
      </Badge>
    </span>
  );
}
