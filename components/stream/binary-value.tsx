"use client";
import { toast } from "sonner";
import { formatBytes } from "@/lib/shared/format";
import { Button } from "@/components/ui/button";
import { downloadText } from "@/components/ui/download";
import { base64ToBytes, binaryView } from "./entry-display";

/**
 * A value that is not UTF-8 (the server sends it as base64), the same on every page: its size,
 * the first bytes in hex, and the whole value to copy as base64 or download as bytes.
 */
export function BinaryValue({
  value,
  expanded,
  fileName = "value.bin",
}: {
  value: { base64: string };
  expanded: boolean;
  fileName?: string;
}) {
  const view = binaryView(value, expanded ? 256 : 16);
  async function copy() {
    try {
      await navigator.clipboard.writeText(view.base64);
      toast.success(`Copied ${formatBytes(view.bytes)} as base64`);
    } catch {
      toast.error("The browser refused to copy");
    }
  }
  return (
    <span
      className="font-mono text-xs text-purple-800"
      title={`Not UTF-8: ${view.bytes} bytes`}
      data-binary-value={view.bytes}
    >
      <span className="mr-1 rounded bg-purple-100 px-1">binary {formatBytes(view.bytes)}</span>
      <span className="break-all">hex {view.hex}</span>
      <span className="ml-2 inline-flex gap-1 align-middle">
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Copy ${formatBytes(view.bytes)} as base64`}
          onClick={() => void copy()}
        >
          Copy base64
        </Button>
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Download ${formatBytes(view.bytes)}`}
          onClick={() => downloadText(fileName, base64ToBytes(view.base64), "application/octet-stream")}
        >
          Download
        </Button>
      </span>
    </span>
  );
}
