"use client";
import type { ReactNode } from "react";
import type { Permission } from "@/lib/contract/auth";
import { meAllows, useMe } from "@/lib/hooks/use-me";

/**
 * Renders its children only when the logged-in role may do `permission` (and read-only mode
 * does not forbid it); with `everyStream`, only for callers not limited to some streams.
 * Hiding is convenience: the server enforces every rule anyway.
 */
export function Can({
  permission,
  everyStream = false,
  children,
  fallback = null,
}: {
  permission: Permission;
  everyStream?: boolean;
  children: ReactNode;
  fallback?: ReactNode;
}) {
  const { data } = useMe();
  const allowed = meAllows(data, permission) && (!everyStream || data?.streams === null);
  return <>{allowed ? children : fallback}</>;
}
