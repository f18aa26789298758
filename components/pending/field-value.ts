/** How a message field value is shown: JSON pretty-printed, text as is, binary (components/stream/binary-value.tsx). Pure. */
import type { FieldValue } from "@/lib/contract/common";
import { binaryView, type BinaryView } from "@/components/stream/entry-display";

export type ValueView =
  { kind: "text"; text: string } | { kind: "json"; text: string } | ({ kind: "binary" } & BinaryView);

export function viewValue(value: FieldValue): ValueView {
  if (typeof value !== "string") return { kind: "binary", ...binaryView(value) };
  const trimmed = value.trim();
  if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
    try {
      return { kind: "json", text: JSON.stringify(JSON.parse(trimmed), null, 2) };
    } catch {
      /* not JSON: shown as text */
    }
  }
  return { kind: "text", text: value };
}
