import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { GroupPage } from "@/components/group/group-page";
import { TableSkeleton } from "@/components/ui/states";
import { pageSeesStream } from "@/lib/auth/page-scope";
import { decodeSegment, encodeSegment } from "@/lib/contract/segment";

interface Props {
  params: Promise<{ key: string; group: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // Already decoded here, unlike the page's own params.
  const { key, group } = await params;
  return { title: `${group} on ${key}` };
}

/** `/streams/{key}/groups/{group}` (both segments encoded with encodeURIComponent). */
export default async function GroupRoute({ params }: Props) {
  const raw = await params;
  const key = decodeSegment(raw.key);
  const group = decodeSegment(raw.group);
  if (!(await pageSeesStream(key))) notFound();
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <ol className="flex flex-wrap items-center gap-1">
          <li>
            <Link href="/" className="hover:underline">
              Streams
            </Link>
          </li>
          <li aria-hidden>›</li>
          <li>
            <Link href={`/streams/${encodeSegment(key)}`} className="break-all font-mono hover:underline">
              {key}
            </Link>
          </li>
          <li aria-hidden>›</li>
          <li aria-current="page" className="break-all font-mono text-slate-900">
            {group}
          </li>
        </ol>
      </nav>
      <h1 className="break-all text-2xl font-semibold">
        Group <span className="font-mono">{group}</span>
      </h1>
      <Suspense fallback={<TableSkeleton label="Loading group" />}>
        <GroupPage streamKey={key} group={group} />
      </Suspense>
    </div>
  );
}
