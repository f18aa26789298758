"use client";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { downloadText } from "@/components/ui/download";
import { pendingClient } from "@/lib/client/pending";
import { formatNumber } from "@/lib/shared/format";
import { toPendingQuery, type ExplorerFilter } from "./pending-filter";
import {
  collectPages,
  EXPORT_CAP,
  EXPORT_PAGE_SIZE,
  exportFileName,
  pendingToCsv,
  pendingToJson,
} from "./pending-export";

/** Downloads the filtered pending list (every page, up to EXPORT_CAP rows) as CSV or JSON. */
export function ExportButtons({
  streamKey,
  group,
  filter,
}: {
  streamKey: string;
  group: string;
  filter: ExplorerFilter;
}) {
  const [running, setRunning] = useState<"csv" | "json" | null>(null);
  const [rows, setRows] = useState(0);
  const abort = useRef<AbortController | null>(null);

  async function run(format: "csv" | "json") {
    const controller = new AbortController();
    abort.current = controller;
    setRunning(format);
    setRows(0);
    try {
      const firstPage = toPendingQuery(filter);
      const result = await collectPages(
        async (cursor) =>
          pendingClient.page(streamKey, group, {
            ...firstPage,
            start: cursor ?? firstPage.start,
            count: EXPORT_PAGE_SIZE,
          }),
        { cap: EXPORT_CAP, onProgress: setRows, signal: controller.signal },
      );
      const text =
        format === "csv"
          ? pendingToCsv(result.rows)
          : pendingToJson(result.rows, {
              stream: streamKey,
              group,
              filter,
              exportedAt: new Date().toISOString(),
              truncated: result.truncated,
            });
      downloadText(
        exportFileName(streamKey, group, format),
        text,
        format === "csv" ? "text/csv;charset=utf-8" : "application/json",
      );
      const note = result.truncated
        ? ` (stopped at the cap of ${formatNumber(EXPORT_CAP)}: narrow the filter for the rest)`
        : "";
      toast.success(`Exported ${formatNumber(result.rows.length)} pending messages${note}`);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === "AbortError")) {
        toast.error(`Export failed: ${err instanceof Error ? err.message : "unknown error"}`);
      }
    } finally {
      setRunning(null);
      abort.current = null;
    }
  }

  return (
    <div className="flex items-center gap-2">
      <Button size="sm" onClick={() => void run("csv")} loading={running === "csv"} disabled={running !== null}>
        Export CSV
      </Button>
      <Button size="sm" onClick={() => void run("json")} loading={running === "json"} disabled={running !== null}>
        Export JSON
      </Button>
      {running ? (
        <>
          <span role="status" className="text-xs text-slate-600">
            {formatNumber(rows)} rows read…
          </span>
          <Button size="sm" variant="ghost" onClick={() => abort.current?.abort()}>
            Cancel export
          </Button>
        </>
      ) : null}
    </div>
  );
}
