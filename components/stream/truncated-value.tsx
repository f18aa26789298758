"use client";
import { useState } from "react";
import type { FieldValue, TruncatedValue } from "@/lib/contract/common";
import { entriesClient } from "@/lib/client/entries";
import { formatBytes } from "@/lib/shared/format";
import { Button } from "@/components/ui/button";
import { downloadText } from "@/components/ui/download";
import { BinaryValue } from "./binary-value";
import { base64ToBytes, binaryView } from "./entry-display";

/** Where a cut value comes from: the pair at `index` of entry `entryId`. */
export interface ValueSource {
  streamKey: string;
  entryId: string;
  index: number;
}

async function wholeValue(source: ValueSource): Promise<FieldValue> {
  const entry = await entriesClient.one(source.streamKey, source.entryId);
  const value = entry.fields[source.index]?.[1];
  if (value === undefined || (typeof value === "object" && !("base64" in value))) throw new Error("The value is gone");
  return value;
}

function saveValue(source: ValueSource, value: FieldValue): void {
  const name = `${source.entryId}-field-${source.index + 1}`;
  if (typeof value === "string") return downloadText(`${name}.txt`, value, "text/plain");
  downloadText(`${name}.bin`, base64ToBytes(value.base64), "application/octet-stream");
}

/** A value cut in a list: its first bytes, its size, "Show all" (fetches the entry) and "Download". */
export function TruncatedValueView({ value, source }: { value: TruncatedValue; source?: ValueSource }) {
  const [whole, setWhole] = useState<FieldValue | null>(null);
  const [busy, setBusy] = useState<"show" | "download" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const size = formatBytes(value.bytes);

  async function run(kind: "show" | "download") {
    if (!source) return;
    setBusy(kind);
    setError(null);
    try {
      const v = whole ?? (await wholeValue(source));
      if (kind === "show") setWhole(v);
      else saveValue(source, v);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  const binaryWhole = whole !== null && typeof whole !== "string" ? whole : null;
  const text =
    whole === null
      ? "preview" in value
        ? value.preview
        : `hex ${binaryView({ base64: value.previewBase64 }, 64).hex}`
      : typeof whole === "string"
        ? whole
        : "";
  return (
    <span className="block" data-truncated-value={value.bytes}>
      {binaryWhole ? (
        <BinaryValue value={binaryWhole} expanded />
      ) : (
        <span
          className={
            whole === null ? "line-clamp-3 break-all" : "block max-h-96 overflow-auto whitespace-pre-wrap break-all"
          }
        >
          {text}
        </span>
      )}
      <span className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <span className="rounded bg-amber-100 px-1 text-amber-900">
          {whole === null ? `cut: ${size} in all` : `whole: ${size}`}
        </span>
        {source && whole === null ? (
          <Button
            size="sm"
            loading={busy === "show"}
            aria-label={`Show all ${size} of field ${source.index + 1} of ${source.entryId}`}
            onClick={() => void run("show")}
          >
            Show all
          </Button>
        ) : null}
        {source ? (
          <Button
            size="sm"
            loading={busy === "download"}
            aria-label={`Download ${size} of field ${source.index + 1} of ${source.entryId}`}
            onClick={() => void run("download")}
          >
            Download
          </Button>
        ) : null}
        {error ? (
          <span role="alert" className="text-red-700">
            {error}
          </span>
        ) : null}
      </span>
    </span>
  );
}
