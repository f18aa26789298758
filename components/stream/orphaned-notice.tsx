import type { OrphanedPending } from "@/lib/contract/entries";

export function OrphanedNotice({ orphaned }: { orphaned: OrphanedPending }) {
  return (
    <div
      role="status"
      aria-label="Orphaned pending entries"
      className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
    >
      <p className="font-medium">
        {orphaned.count}
        {orphaned.truncated ? "+" : ""} orphaned pending {orphaned.count === 1 ? "entry" : "entries"} in this range
      </p>
      <p>Still pending in a consumer group, but the entry was deleted (XDEL or XTRIM). Ack them from the group page.</p>
      <p className="mt-1 break-all font-mono text-xs">{orphaned.ids.join(", ")}</p>
    </div>
  );
}
