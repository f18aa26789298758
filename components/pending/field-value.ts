/** How a message field value is shown: JSON pretty-printed, text as is, binary as base64 + size. Pure. */
import type { FieldValue } from "@/lib/contract/common";

export type ValueView =
  | { kind: "text"; text: string }
  | { kind: "json"; text: string }
  | { kind: "binary"; base64: string; bytes: number };

/** Decoded size of a base64 string, without decoding it. */
export function base64ByteLength(b64: string): number {
  const clean = b64.replace(/\s+/g, "");
  if (clean.length === 0) return 0;
  const padding = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

export function viewValue(value: FieldValue): ValueView {
  if (typeof value !== "string") return { kind: "binary", base64: value.base64, bytes: base64ByteLength(value.base64) };
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

/** A field name as one line of text (binary names show as base64). */
export function fieldNameText(name: FieldValue): string {
  return typeof name === "string" ? name : `base64:${name.base64}`;
}
