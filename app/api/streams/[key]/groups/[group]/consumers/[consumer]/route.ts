import { deleteConsumer } from "@/lib/actions/admin";
import { consumerParamsSchema } from "@/lib/contract/common";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import type { DeleteConsumerResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = apiRoute<DeleteConsumerResponse>(
  { permission: "admin", action: "consumer.delete" },
  async (_req, ctx) => {
    const { key, group, consumer } = await parseParams(consumerParamsSchema, ctx.params);
    return deleteConsumer(await ctx.writeRedis(), key, group, consumer);
  },
);
