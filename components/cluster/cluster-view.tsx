"use client";
import Link from "next/link";
import clsx from "clsx";
import { Badge } from "@/components/ui/badge";
import { DataAge } from "@/components/ui/data-age";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import type { ClusterNode } from "@/lib/contract/cluster";
import { useClusterOverview } from "@/lib/hooks/use-cluster";
import { formatBytes, formatCapped, formatNumber } from "@/lib/shared/format";
import { formatSlots, HOT_LABELS, hotMasters, streamHref, type HotMetric } from "./cluster-table";

export function ClusterView() {
  const overview = useClusterOverview();
  const data = overview.data;
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Cluster</h1>
        <DataAge asOf={data?.asOf} />
      </div>
      {overview.isPending ? (
        <TableSkeleton label="Loading cluster nodes" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : !data || data.nodes.length === 0 ? (
        <EmptyState title="No node known yet">The cluster has not answered with its nodes; retrying.</EmptyState>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            {data.mode === "single"
              ? "Single server: Redis is not running as a cluster, so every stream is on this one server."
              : `Redis Cluster: ${data.nodes.filter((n) => n.role === "master").length} masters, ${
                  data.nodes.filter((n) => n.role === "replica").length
                } replicas. A master highlighted carries far more than the others (a family pinned to it by a hash tag, or a hot shard).`}
          </p>
          <NodesTable nodes={data.nodes} />
        </>
      )}
    </div>
  );
}

function NodesTable({ nodes }: { nodes: ClusterNode[] }) {
  const hot = hotMasters(nodes);
  return (
    <table aria-label="Nodes" className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th scope="col" className="px-3 py-1 font-medium">
            Node
          </th>
          <th scope="col" className="px-3 py-1 font-medium">
            Role
          </th>
          <th scope="col" className="px-3 py-1 font-medium">
            Slots
          </th>
          <th scope="col" className="px-3 py-1 text-right font-medium">
            Streams
          </th>
          <th scope="col" className="px-3 py-1 text-right font-medium">
            Pending
          </th>
          <th scope="col" className="px-3 py-1 text-right font-medium">
            Memory
          </th>
          <th scope="col" className="px-3 py-1 text-right font-medium">
            Ops/s
          </th>
          <th scope="col" className="px-3 py-1 font-medium">
            Hottest streams
          </th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => (
          <NodeRow key={n.address} node={n} hot={hot.get(n.address) ?? []} />
        ))}
      </tbody>
    </table>
  );
}

function NodeRow({ node, hot }: { node: ClusterNode; hot: HotMetric[] }) {
  const s = node.streams;
  const mark = (m: HotMetric) => (hot.includes(m) ? "font-semibold text-amber-900" : undefined);
  return (
    <tr
      aria-label={`Node ${node.address}`}
      data-hot={hot.length > 0 || undefined}
      className={clsx("border-t border-slate-100 align-top", hot.length > 0 && "bg-amber-50")}
    >
      <th scope="row" className="px-3 py-1.5 text-left font-normal">
        <span className="font-mono text-xs">{node.address}</span>
        {!node.reachable ? (
          <Badge tone="bad" title="The cluster reports this node as failing or disconnected">
            unreachable
          </Badge>
        ) : null}
        {hot.map((m) => (
          <span key={m} className="ml-1">
            <Badge tone="warn">{HOT_LABELS[m]}</Badge>
          </span>
        ))}
        {node.error ? <p className="text-xs text-red-700">{node.error}</p> : null}
      </th>
      <td className="px-3 py-1.5">
        {node.role === "master" ? "master" : `replica${node.masterOf ? ` of ${node.masterOf}` : ""}`}
      </td>
      <td className="px-3 py-1.5">
        {node.role === "master" && node.id !== null ? (
          <>
            <span>{formatNumber(node.slotCount)}</span>{" "}
            <span className="font-mono text-xs text-slate-500">{formatSlots(node.slots)}</span>
          </>
        ) : (
          "—"
        )}
      </td>
      <td className={clsx("px-3 py-1.5 text-right tabular-nums", mark("streams"))}>
        {s ? formatCapped(s.count, s.atLeast) : "—"}
      </td>
      <td
        className={clsx("px-3 py-1.5 text-right tabular-nums", mark("pending"))}
        title={s?.partial ? "Counted over the first streams of this node only" : undefined}
      >
        {s ? formatCapped(s.pending, s.partial) : "—"}
      </td>
      <td className="px-3 py-1.5 text-right tabular-nums">{formatBytes(node.usedMemoryBytes)}</td>
      <td className={clsx("px-3 py-1.5 text-right tabular-nums", mark("ops"))}>{formatNumber(node.opsPerSec)}</td>
      <td className="px-3 py-1.5">
        {s && s.hottest.length > 0 ? (
          <ul aria-label={`Hottest streams on ${node.address}`} className="space-y-0.5">
            {s.hottest.map((h) => (
              <li key={h.key}>
                <Link
                  href={streamHref(h.key)}
                  prefetch={false}
                  className="font-mono text-xs text-blue-700 hover:underline"
                >
                  {h.key}
                </Link>{" "}
                <span className="text-xs text-slate-500">
                  {formatNumber(h.pending)} pending, {formatNumber(h.length)} entries
                </span>
              </li>
            ))}
          </ul>
        ) : s ? (
          <span className="text-xs text-slate-500">no streams</span>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}
