import { isTruncated, type ListValue } from "@/lib/contract/common";
import { BinaryValue } from "./binary-value";
import { prettyJson } from "./entry-display";
import { TruncatedValueView, type ValueSource } from "./truncated-value";

/** A field name or value as text; binary values by BinaryValue (size, hex, copy and download). */
export function FieldValue({ value, expanded, source }: { value: ListValue; expanded: boolean; source?: ValueSource }) {
  if (isTruncated(value)) return <TruncatedValueView value={value} source={source} />;
  if (typeof value !== "string")
    return (
      <BinaryValue
        value={value}
        expanded={expanded}
        fileName={source ? `${source.entryId}-field-${source.index + 1}.bin` : undefined}
      />
    );
  if (value === "") return <span className="text-xs italic text-slate-400">(empty)</span>;
  const pretty = expanded ? prettyJson(value) : null;
  if (pretty) return <pre className="max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs">{pretty}</pre>;
  return <span className={expanded ? "whitespace-pre-wrap break-all" : "line-clamp-2 break-all"}>{value}</span>;
}
