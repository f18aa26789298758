/** Auth request/response shapes and the roles, shared by the routes, the config and the browser. */
import { z } from "zod";

export const ROLES = ["viewer", "operator", "admin"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
/** What a route needs from the caller: `read` for every GET, `operate` for message actions, `admin` for destructive admin. */
export type Permission = "read" | "operate" | "admin";

export const loginRequestSchema = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export interface LoginResponse {
  user: string;
  role: Role;
}

export interface MeResponse {
  user: string;
  role: Role;
  method: string;
  readOnly: boolean;
  /** No auth configured: loopback only, no login. */
  localMode: boolean;
  canOperate: boolean;
  canAdmin: boolean;
  /** Stream globs the caller may see; null means every stream. */
  streams: string[] | null;
}

export interface LogoutResponse {
  ok: true;
}
