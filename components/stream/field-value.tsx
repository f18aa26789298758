import { isTruncated, type ListValue } from "@/lib/contract/common";
import { formatBytes } from "@/lib/format";
import { binaryView, prettyJson } from "./entry-display";
import { TruncatedValueView, type ValueSource } from "./truncated-value";

/** A field name or value as text; binary values as hex (base64 when expanded) with their size. */
export function FieldValue({ value, expanded, source }: { value: ListValue; expanded: boolean; source?: ValueSource }) {
  if (isTruncated(value)) return <TruncatedValueView value={value} source={source} />;
  if (typeof value !== "string") {
    const view = binaryView(value, expanded ? 256 : 16);
    return (
      <span className="font-mono text-xs text-purple-800" title={`Not UTF-8: ${view.bytes} bytes`}>
        <span className="mr-1 rounded bg-purple-100 px-1">binary {formatBytes(view.bytes)}</span>
        <span>hex {view.hex}</span>
        {expanded ? <span className="block break-all">base64 {view.base64}</span> : null}
      </span>
    );
  }
  if (value === "") return <span className="text-xs italic text-slate-400">(empty)</span>;
  const pretty = expanded ? prettyJson(value) : null;
  if (pretty) return <pre className="max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs">{pretty}</pre>;
  return <span className={expanded ? "whitespace-pre-wrap break-all" : "line-clamp-2 break-all"}>{value}</span>;
}
