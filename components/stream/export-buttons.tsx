"use client";
import type { StreamEntry } from "@/lib/api/entries-types";
import { Button } from "@/components/ui/button";
import { entriesToCsv, entriesToJson, exportFileName } from "@/lib/streams/export-format";

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Exports exactly the entries shown. CSV layout: see lib/streams/export-format.ts. */
export function ExportButtons({ streamKey, entries }: { streamKey: string; entries: StreamEntry[] }) {
  const disabled = entries.length === 0;
  return (
    <div className="flex gap-2">
      <Button size="sm" disabled={disabled} onClick={() => download(exportFileName(streamKey, "json"), entriesToJson(streamKey, entries), "application/json")}>
        Export JSON
      </Button>
      <Button size="sm" disabled={disabled} onClick={() => download(exportFileName(streamKey, "csv"), entriesToCsv(entries), "text/csv")}>
        Export CSV
      </Button>
    </div>
  );
}
