import type { StreamDetail } from "@/lib/contract/streams";
import { Time } from "@/components/ui/time";
import { formatBytes, formatDuration, formatNumber, memoryUnknownText } from "@/lib/shared/format";
import { idToTimeMs } from "@/lib/contract/ids";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="rounded border border-slate-200 bg-white px-3 py-2">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-all font-mono text-sm">{children}</dd>
    </div>
  );
}

function IdWithTime({ id }: { id: string | null }) {
  if (!id) return <>—</>;
  return (
    <>
      {id}
      <span className="block text-xs text-slate-500">
        <Time ms={idToTimeMs(id)} />
      </span>
    </>
  );
}

export function StreamFacts({ detail }: { detail: StreamDetail }) {
  return (
    <dl aria-label="Stream facts" className="grid grid-cols-2 gap-2 md:grid-cols-4 xl:grid-cols-5">
      <Fact label="Length">{formatNumber(detail.length)}</Fact>
      <Fact label="First entry">
        <IdWithTime id={detail.firstEntryId} />
      </Fact>
      <Fact label="Last entry">
        <IdWithTime id={detail.lastEntryId} />
      </Fact>
      <Fact label="Last generated id">{detail.lastGeneratedId}</Fact>
      <Fact label="Entries added">
        {detail.entriesAdded === null ? "not reported by this server" : formatNumber(detail.entriesAdded)}
      </Fact>
      <Fact label="Max deleted id">{detail.maxDeletedEntryId ?? "not reported by this server"}</Fact>
      <Fact label="TTL">{detail.ttlMs === null ? "no expiry" : formatDuration(detail.ttlMs)}</Fact>
      <Fact label="Memory">
        {detail.memoryBytes === null
          ? (memoryUnknownText(detail.memoryUnknown) ?? "—")
          : formatBytes(detail.memoryBytes)}
      </Fact>
      <Fact label="Groups">{formatNumber(detail.groupCount)}</Fact>
      <Fact label="Pending">{formatNumber(detail.pending)}</Fact>
    </dl>
  );
}
