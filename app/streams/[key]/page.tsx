import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { StreamHistoryCharts } from "@/components/history/stream-history-charts";
import { StreamAdmin } from "@/components/stream/stream-admin";
import { StreamView } from "@/components/stream/stream-view";
import { pageSeesStream } from "@/lib/auth/page-scope";
import { AppError } from "@/lib/errors";
import { decodeSegment } from "@/lib/contract/segment";
import { connectionForRequest } from "@/lib/redis/client";
import { assertStream } from "@/lib/streams/assert-stream";

export const dynamic = "force-dynamic";

interface Props {
  params: Promise<{ key: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeSegment((await params).key) };
}

/** `/streams/{key}?id=<id>`. Next 16 hands page params still percent-encoded: decode once here. */
export default async function StreamPage({ params, searchParams }: Props) {
  const key = decodeSegment((await params).key);
  const id = (await searchParams).id;
  if (!(await pageSeesStream(key))) notFound();
  try {
    await assertStream(await connectionForRequest(), key);
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    if (err instanceof AppError && err.code === "WRONG_TYPE") {
      return (
        <div role="alert" className="rounded border border-red-300 bg-red-50 p-4 text-sm text-red-800">
          {err.message}
        </div>
      );
    }
    throw err;
  }
  return (
    <StreamView
      streamKey={key}
      initialId={typeof id === "string" ? id : undefined}
      historySlot={<StreamHistoryCharts streamKey={key} />}
      groupAdminSlot={<StreamAdmin streamKey={key} />}
    />
  );
}
