/** Auth request/response shapes, shared by the routes and the browser. */
import { z } from "zod";
import type { Role } from "@/lib/auth/roles";

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
