import { isUtf8 } from "node:buffer";
import type { FieldPair, FieldValue, ListFieldPair, ListValue } from "@/lib/contract/common";

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

/** An entry as list answers carry it: long values cut, at most `limits.fields` pairs. */
export interface ListEntry {
  id: string;
  fields: ListFieldPair[];
  /** Pairs left out after the first `limits.fields`. */
  fieldsOmitted?: number;
}

export interface ValueLimits {
  /** Values longer than this are cut to a TruncatedValue. */
  valueBytes: number;
  /** Bytes of a cut value kept as its preview. */
  previewBytes: number;
  /** Pairs shown per entry. */
  fields: number;
}

function rows(reply: unknown): [string, (Buffer | string)[]][] {
  if (!Array.isArray(reply)) return [];
  return reply.map((row) => {
    const [id, flat] = row as [Buffer | string, (Buffer | string)[] | null];
    return [id.toString(), Array.isArray(flat) ? flat : []];
  });
}

/** An XRANGE/XREVRANGE reply read with the Buffer variant: ordered pairs, repeats kept. */
export function decodeEntries(reply: unknown): RawEntry[] {
  return rows(reply).map(([id, list]) => {
    const fields: FieldPair[] = [];
    for (let i = 0; i + 1 < list.length; i += 2) fields.push([decodeValue(list[i]!), decodeValue(list[i + 1]!)]);
    return { id, fields };
  });
}

/** The longest prefix of `head` that ends on a whole UTF-8 character. */
function utf8Prefix(head: Buffer): string {
  let start = head.length - 1;
  while (start > 0 && (head[start]! & 0xc0) === 0x80) start--;
  const lead = head[start] ?? 0;
  const len = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return head.subarray(0, start + len > head.length ? start : head.length).toString("utf8");
}

/** The one place a value is cut for lists; short values decode as usual. */
export function cutValue(raw: Buffer | string, limits: ValueLimits): ListValue {
  const buf = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
  if (buf.length <= limits.valueBytes) return decodeValue(raw);
  const head = buf.subarray(0, Math.min(limits.previewBytes, limits.valueBytes));
  if (isUtf8(buf)) return { truncated: true, bytes: buf.length, preview: utf8Prefix(head) };
  return { truncated: true, bytes: buf.length, previewBase64: head.toString("base64") };
}

function cutPairs(list: readonly (Buffer | string)[], limits: ValueLimits): Omit<ListEntry, "id"> {
  const pairs = Math.floor(list.length / 2);
  const shown = Math.min(pairs, limits.fields);
  const fields: ListFieldPair[] = [];
  for (let i = 0; i < shown; i++) fields.push([decodeValue(list[2 * i]!), cutValue(list[2 * i + 1]!, limits)]);
  return pairs > shown ? { fields, fieldsOmitted: pairs - shown } : { fields };
}

/** Like decodeEntries, with long values cut and at most `limits.fields` pairs per entry. */
export function decodeListEntries(reply: unknown, limits: ValueLimits): ListEntry[] {
  return rows(reply).map(([id, list]) => ({ id, ...cutPairs(list, limits) }));
}

/** A decoded entry cut for a list (search matches on whole values first). */
export function cutEntry(entry: RawEntry, limits: ValueLimits): ListEntry {
  const flat = entry.fields.flatMap(([n, v]) => [encodeValue(n), encodeValue(v)]);
  return { id: entry.id, ...cutPairs(flat, limits) };
}

/** Bytes of the values and names in a Buffer XRANGE reply (what Redis had to send). */
export function replyBytes(reply: unknown): number {
  let total = 0;
  for (const [id, list] of rows(reply)) {
    total += id.length;
    for (const part of list) total += part.length;
  }
  return total;
}

/** About what an entry adds to a JSON answer. */
export function listEntryBytes(entry: ListEntry): number {
  return Buffer.byteLength(JSON.stringify(entry.fields), "utf8") + entry.id.length + 64;
}

/** Size in bytes of a field value as stored in Redis. */
export function valueByteLength(v: FieldValue): number {
  return typeof v === "string" ? Buffer.byteLength(v, "utf8") : Buffer.from(v.base64, "base64").length;
}

/** Turns a FieldValue back into what Redis stores (for copies: requeue, dead-letter). */
export function encodeValue(v: FieldValue): Buffer {
  return typeof v === "string" ? Buffer.from(v, "utf8") : Buffer.from(v.base64, "base64");
}
