import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { RedisConnection } from "@/lib/redis/connection";
import type {
  CreateGroupBody,
  CreateGroupResponse,
  DeleteConsumerResponse,
  DeleteGroupResponse,
  PublishBody,
  PublishResponse,
  SetIdBody,
  SetIdResponse,
} from "@/lib/contract/pending";
import { notFound } from "@/lib/errors";
import { requireGroup } from "@/lib/pending/group";
import { assertStream } from "@/lib/streams/assert-stream";
import { encodeValue } from "@/lib/streams/codec";
import { normalizeId } from "@/lib/contract/ids";
import { readConsumers } from "@/lib/streams/consumers";
import { parseGroups, parsePendingSummary } from "@/lib/streams/xinfo";
import { toAppError, translated } from "@/lib/redis/errors";
import { CALL_RECORD_TTL_MS, keyBeside } from "@/lib/redis/lua";
import { publishScript } from "./scripts";

/** Group and stream admin. Unknown group 404, an existing group name 409, a bad id 400. */

const startArg = (id: string) => (id === "$" || id === "0" ? id : normalizeId(id));

export async function createGroup(
  redis: RedisConnection,
  stream: string,
  body: CreateGroupBody,
): Promise<CreateGroupResponse> {
  if (!body.mkstream) await assertStream(redis, stream);
  const args: (string | number)[] = ["CREATE", stream, body.name, startArg(body.startId)];
  if (body.mkstream) args.push("MKSTREAM");
  if (body.entriesRead !== undefined) args.push("ENTRIESREAD", body.entriesRead);
  await translated(() => redis.call("XGROUP", ...args));
  return { created: true, name: body.name };
}

/** Destroys the group; answers how many pending messages went with it (read in the same MULTI). */
export async function deleteGroup(redis: RedisConnection, stream: string, group: string): Promise<DeleteGroupResponse> {
  await requireGroup(redis, stream, group);
  const replies = await translated(async () =>
    redis.multi().call("XPENDING", stream, group).call("XGROUP", "DESTROY", stream, group).exec(),
  );
  const [[pendingErr, pending], [destroyErr, destroyed]] = replies as [
    [Error | null, unknown],
    [Error | null, unknown],
  ];
  if (pendingErr || destroyErr || destroyed !== 1)
    throw notFound(`Stream "${stream}" has no consumer group "${group}"`);
  return { deleted: true, pendingDropped: parsePendingSummary(pending).count };
}

/** XGROUP SETID; answers the group's last-delivered-id afterwards (`$` resolved). */
export async function setGroupId(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: SetIdBody,
): Promise<SetIdResponse> {
  await requireGroup(redis, stream, group);
  const args: (string | number)[] = ["SETID", stream, group, startArg(body.id)];
  if (body.entriesRead !== undefined) args.push("ENTRIESREAD", body.entriesRead);
  const replies = await translated(async () =>
    redis
      .multi()
      .call("XGROUP", ...args)
      .call("XINFO", "GROUPS", stream)
      .exec(),
  );
  const [[setErr], [, groups]] = replies as [[Error | null, unknown], [Error | null, unknown]];
  if (setErr) throw toAppError(setErr);
  const info = parseGroups(groups).find((g) => g.name === group);
  if (!info) throw notFound(`Stream "${stream}" has no consumer group "${group}"`);
  return { lastDeliveredId: info.lastDeliveredId };
}

/**
 * XGROUP DELCONSUMER: its pending messages are dropped from the PEL; answers how many. A missing
 * consumer is a 404, except in a group over the consumer cap, where telling one apart would take
 * XINFO CONSUMERS: there a missing name answers `pendingDropped: 0`.
 */
export async function deleteConsumer(
  redis: RedisConnection,
  stream: string,
  group: string,
  consumer: string,
): Promise<DeleteConsumerResponse> {
  const { group: info } = await requireGroup(redis, stream, group);
  const list = await readConsumers(redis, { stream, group, consumerCount: info.consumerCount });
  if (list.listed === "all" && !list.consumers.some((c) => c.name === consumer)) {
    throw notFound(`Group "${group}" of stream "${stream}" has no consumer "${consumer}"`);
  }
  const dropped = await translated(() => redis.call("XGROUP", "DELCONSUMER", stream, group, consumer));
  return { deleted: true, pendingDropped: Number(dropped) };
}

/** How long a publish's Idempotency-Key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/**
 * XADD of the given fields (binary values as {base64}) to an existing stream, at most once per
 * idempotency key: a retried publish with the same key and body answers the first id and adds
 * nothing. Without a key, a one-off key still makes the publish safe to re-send after a lost
 * reply (the re-send finds the record instead of adding the entry again).
 */
export async function publishMessage(
  redis: RedisConnection,
  stream: string,
  body: PublishBody,
  idempotencyKey?: string,
): Promise<PublishResponse> {
  const args: Buffer[] = [];
  const hash = createHash("sha256");
  for (const [name, value] of body.fields) {
    const pair = [encodeValue(name), encodeValue(value)] as const;
    for (const part of pair) hash.update(`${part.length}:`).update(part);
    args.push(...pair);
  }
  // The record is in the stream's cluster slot: the script writes both.
  const record = idempotencyKey
    ? keyBeside(stream, "publish", createHash("sha256").update(`${stream}\0${idempotencyKey}`).digest("hex"))
    : keyBeside(stream, "publish", randomUUID());
  const ttl = idempotencyKey ? IDEMPOTENCY_TTL_MS : CALL_RECORD_TTL_MS;
  // The call's own nonce tells its re-send (after a lost reply) from an earlier publish.
  const head = [ttl, hash.digest("hex"), randomUUID()];
  const reply = await publishScript.runRetrying(redis, [record, stream], [...head, ...args]);
  const [id, replayed] = reply as [Buffer | string, number];
  return { id: String(id), replayed: replayed === 1 };
}
