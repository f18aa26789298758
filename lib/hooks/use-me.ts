"use client";
import { useQuery } from "@tanstack/react-query";
import { authClient } from "@/lib/client/auth";
import { queryKeys } from "@/lib/client/query-keys";
import type { MeResponse } from "@/lib/contract/auth";
import type { Permission } from "@/lib/contract/auth";
import { useHydrated } from "./use-hydrated";

/**
 * Who the browser is logged in as, and what that role may do (for hiding controls). Undefined
 * while hydrating: the answer often arrives (for the layout) before a streamed page segment
 * hydrates, and that segment was rendered on the server without it.
 */
export function useMe(): { data: MeResponse | undefined } {
  const query = useQuery({ queryKey: queryKeys.me, queryFn: authClient.me, staleTime: 60_000, retry: false });
  const hydrated = useHydrated();
  return { data: hydrated ? query.data : undefined };
}

export function meAllows(me: MeResponse | undefined, permission: Permission): boolean {
  if (!me) return false;
  if (permission === "read") return true;
  return permission === "operate" ? me.canOperate : me.canAdmin;
}
