/** How a message field value is shown: JSON pretty-printed, text as is, binary (components/stream/binary-value.tsx). Pure. */
import type { FieldValue } from "@/lib/contract/common";
import { binaryView, prettyJson, type BinaryView } from "@/components/stream/entry-display";

export type ValueView =
  { kind: "text"; text: string } | { kind: "json"; text: string } | ({ kind: "binary" } & BinaryView);

export function viewValue(value: FieldValue): ValueView {
  if (typeof value !== "string") return { kind: "binary", ...binaryView(value) };
  const json = prettyJson(value);
  if (json !== null) return { kind: "json", text: json };
  return { kind: "text", text: value };
}
