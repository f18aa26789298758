import type { EntryStateName } from "@/lib/contract/entries";
import { Badge } from "@/components/ui/badge";
import { STATE_LABELS, STATE_LEGEND } from "@/lib/shared/states";
import { stateTone } from "./entry-display";

const ORDER: EntryStateName[] = ["delivered", "pending", "acked"];

/** What each state badge means in Redis terms: visible beside every list of entry states. */
export function StateLegend() {
  return (
    <dl aria-label="What the states mean" className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600">
      {ORDER.map((state) => (
        <div key={state} className="flex items-center gap-1.5">
          <dt>
            <Badge tone={stateTone({ state })}>{STATE_LABELS[state]}</Badge>
          </dt>
          <dd>{STATE_LEGEND[state]}</dd>
        </div>
      ))}
    </dl>
  );
}
