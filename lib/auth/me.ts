import "server-only";
import { AppError } from "@/lib/errors";
import type { MeResponse } from "@/lib/contract/auth";
import { getAuth } from "./config";
import { authenticate } from "./identity";
import { permissionAllowedInMode, roleAllows } from "./roles";
import { identityOf } from "./scope";

export async function describeCaller(req: Request): Promise<MeResponse> {
  const identity = identityOf(req) ?? (await authenticate(req));
  if (!identity) throw new AppError("UNAUTHORIZED", "Not logged in");
  const auth = getAuth();
  return {
    user: identity.user,
    role: identity.role,
    method: identity.method,
    readOnly: auth.readOnly,
    localMode: !auth.enabled,
    canOperate: roleAllows(identity.role, "operate") && permissionAllowedInMode("operate", auth.readOnly),
    canAdmin: roleAllows(identity.role, "admin") && permissionAllowedInMode("admin", auth.readOnly),
    streams: identity.streams ?? null,
  };
}
