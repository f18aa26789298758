import "server-only";
import type Redis from "ioredis";
import type {
  CreateGroupBody,
  CreateGroupResponse,
  DeleteConsumerResponse,
  DeleteGroupResponse,
  PublishBody,
  PublishResponse,
  SetIdBody,
  SetIdResponse,
} from "@/lib/api/pending-types";
import { notFound } from "@/lib/errors";
import { requireGroup } from "@/lib/pending/group";
import { assertStream } from "@/lib/streams/assert-stream";
import { encodeValue } from "@/lib/streams/codec";
import { normalizeId } from "@/lib/streams/ids";
import { parseConsumers, parseGroups, parsePendingSummary } from "@/lib/streams/xinfo";
import { toAppError, translated } from "./redis-errors";

/** Group and stream admin. Unknown group 404, an existing group name 409, a bad id 400. */

const startArg = (id: string) => (id === "$" || id === "0" ? id : normalizeId(id));

export async function createGroup(redis: Redis, stream: string, body: CreateGroupBody): Promise<CreateGroupResponse> {
  if (!body.mkstream) await assertStream(redis, stream);
  const args: (string | number)[] = ["CREATE", stream, body.name, startArg(body.startId)];
  if (body.mkstream) args.push("MKSTREAM");
  if (body.entriesRead !== undefined) args.push("ENTRIESREAD", body.entriesRead);
  await translated(() => redis.call("XGROUP", ...args));
  return { created: true, name: body.name };
}

/** Destroys the group; answers how many pending messages went with it (read in the same MULTI). */
export async function deleteGroup(redis: Redis, stream: string, group: string): Promise<DeleteGroupResponse> {
  await requireGroup(redis, stream, group);
  const replies = await translated(async () =>
    redis.multi().call("XPENDING", stream, group).call("XGROUP", "DESTROY", stream, group).exec(),
  );
  const [[pendingErr, pending], [destroyErr, destroyed]] = replies as [[Error | null, unknown], [Error | null, unknown]];
  if (pendingErr || destroyErr || destroyed !== 1) throw notFound(`Stream "${stream}" has no consumer group "${group}"`);
  return { deleted: true, pendingDropped: parsePendingSummary(pending).count };
}

/** XGROUP SETID; answers the group's last-delivered-id afterwards (`$` resolved). */
export async function setGroupId(redis: Redis, stream: string, group: string, body: SetIdBody): Promise<SetIdResponse> {
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

/** XGROUP DELCONSUMER: its pending messages are dropped from the PEL; answers how many. */
export async function deleteConsumer(
  redis: Redis,
  stream: string,
  group: string,
  consumer: string,
): Promise<DeleteConsumerResponse> {
  await requireGroup(redis, stream, group);
  const consumers = parseConsumers(await redis.call("XINFO", "CONSUMERS", stream, group));
  if (!consumers.some((c) => c.name === consumer)) {
    throw notFound(`Group "${group}" of stream "${stream}" has no consumer "${consumer}"`);
  }
  const dropped = await translated(() => redis.call("XGROUP", "DELCONSUMER", stream, group, consumer));
  return { deleted: true, pendingDropped: Number(dropped) };
}

/** XADD of the given fields (binary values as {base64}) to an existing stream. */
export async function publishMessage(redis: Redis, stream: string, body: PublishBody): Promise<PublishResponse> {
  await assertStream(redis, stream);
  const args: Buffer[] = [];
  for (const [name, value] of body.fields) args.push(encodeValue(name), encodeValue(value));
  const id = await translated(() => redis.xadd(stream, "*", ...args));
  return { id: String(id) };
}
