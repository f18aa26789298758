import type { FieldPair, FieldValue } from "@/lib/api/types";

/** A value as text when it is valid UTF-8, else its bytes as base64 (binary safe). */
export function decodeValue(buf: Buffer | string): FieldValue {
  if (typeof buf === "string") return buf;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(buf);
  if (!text.includes("\uFFFD") || Buffer.from(text, "utf8").equals(buf)) return text;
  return { base64: buf.toString("base64") };
}

export interface RawEntry {
  id: string;
  fields: FieldPair[];
}

/** An XRANGE/XREVRANGE reply read with the Buffer variant: ordered pairs, repeats kept. */
export function decodeEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((row) => {
    const [id, flat] = row as [Buffer | string, (Buffer | string)[] | null];
    const fields: FieldPair[] = [];
    const list = Array.isArray(flat) ? flat : [];
    for (let i = 0; i + 1 < list.length; i += 2) fields.push([decodeValue(list[i]!), decodeValue(list[i + 1]!)]);
    return { id: id.toString(), fields };
  });
}

/** Size in bytes of a field value as stored in Redis. */
export function valueByteLength(v: FieldValue): number {
  return typeof v === "string" ? Buffer.byteLength(v, "utf8") : Buffer.from(v.base64, "base64").length;
}

/** Turns a FieldValue back into what Redis stores (for copies: requeue, dead-letter). */
export function encodeValue(v: FieldValue): Buffer {
  return typeof v === "string" ? Buffer.from(v, "utf8") : Buffer.from(v.base64, "base64");
}
