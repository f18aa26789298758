/**
 * Roles and permissions. Plain module (no server imports): the UI uses it to hide what a role
 * cannot do, the server to enforce it.
 */
import type { Permission, Role } from "@/lib/contract/auth";

export type { Permission, Role };

const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };
const PERMISSION_RANK: Record<Permission, number> = { read: 1, operate: 2, admin: 3 };

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_RANK[role] >= PERMISSION_RANK[permission];
}

/** The highest of several roles (a user in several mapped groups gets the strongest). */
export function highestRole(roles: Iterable<Role>): Role | null {
  let best: Role | null = null;
  for (const r of roles) if (!best || ROLE_RANK[r] > ROLE_RANK[best]) best = r;
  return best;
}

/** Read-only mode refuses every permission but "read", for every role. */
export function permissionAllowedInMode(permission: Permission, readOnly: boolean): boolean {
  return !readOnly || permission === "read";
}
