"use client";
import type { StreamEntry } from "@/lib/contract/entries";
import { Button } from "@/components/ui/button";
import { downloadText } from "@/components/ui/download";
import { entriesToCsv, entriesToJson, exportFileName } from "@/lib/shared/export-format";

/** Exports exactly the entries shown. CSV layout: see lib/shared/export-format.ts. */
export function ExportButtons({ streamKey, entries }: { streamKey: string; entries: StreamEntry[] }) {
  const disabled = entries.length === 0;
  return (
    <div className="flex gap-2">
      <Button
        size="sm"
        disabled={disabled}
        onClick={() =>
          downloadText(exportFileName(streamKey, "json"), entriesToJson(streamKey, entries), "application/json")
        }
      >
        Export JSON
      </Button>
      <Button
        size="sm"
        disabled={disabled}
        onClick={() => downloadText(exportFileName(streamKey, "csv"), entriesToCsv(entries), "text/csv")}
      >
        Export CSV
      </Button>
    </div>
  );
}
