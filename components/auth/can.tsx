"use client";
import type { ReactNode } from "react";
import type { Permission } from "@/lib/auth/roles";
import { meAllows, useMe } from "@/lib/hooks/use-me";

/**
 * Renders its children only when the logged-in role may do `permission` (and read-only mode
 * does not forbid it). Hiding is convenience: the server enforces every rule anyway.
 */
export function Can({ permission, children, fallback = null }: { permission: Permission; children: ReactNode; fallback?: ReactNode }) {
  const { data } = useMe();
  return <>{meAllows(data, permission) ? children : fallback}</>;
}
