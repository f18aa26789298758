import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { GroupHistoryCharts } from "@/components/history/group-history-charts";
import { StreamHistoryCharts } from "@/components/history/stream-history-charts";
import { ThresholdAdvice } from "@/components/history/threshold-advice";
import { pageSeesStream } from "@/lib/auth/page-scope";
import { decodeSegment, encodeSegment } from "@/lib/contract/segment";

export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ key: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `History of ${decodeSegment((await params).key)}` };
}

/** `/streams/{key}/history[?group=]`: the stream's (or one group's) charts on a page of their own. */
export default async function StreamHistoryPage({ params, searchParams }: Props) {
  const key = decodeSegment((await params).key);
  if (!(await pageSeesStream(key))) notFound();
  const raw = (await searchParams).group;
  const group = typeof raw === "string" && raw !== "" ? raw : null;
  return (
    <div className="space-y-4">
      <h1 className="break-all text-2xl font-semibold">
        History of{" "}
        <Link href={`/streams/${encodeSegment(key)}`} className="font-mono hover:underline">
          {key}
        </Link>
        {group !== null ? <span className="font-mono"> / {group}</span> : null}
      </h1>
      {group !== null ? (
        <>
          <ThresholdAdvice streamKey={key} group={group} />
          <GroupHistoryCharts streamKey={key} group={group} />
        </>
      ) : (
        <StreamHistoryCharts streamKey={key} />
      )}
    </div>
  );
}
