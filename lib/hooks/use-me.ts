"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchMe } from "@/lib/api/auth-client";
import { queryKeys } from "@/lib/api/query-keys";
import type { MeResponse } from "@/lib/api/auth-types";
import type { Permission } from "@/lib/auth/roles";

/** Who the browser is logged in as, and what that role may do (for hiding controls). */
export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

export function meAllows(me: MeResponse | undefined, permission: Permission): boolean {
  if (!me) return false;
  if (permission === "read") return true;
  return permission === "operate" ? me.canOperate : me.canAdmin;
}
