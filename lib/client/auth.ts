import { apiFetch, postJson, withQuery } from "./fetcher";
import type { LoginRequest, LoginResponse, MeResponse } from "@/lib/contract/auth";
import type { AuditQuery, AuditResponse } from "@/lib/contract/audit";

export const fetchMe = () => apiFetch<MeResponse>("/api/auth/me");
export const login = (input: LoginRequest) => postJson<LoginResponse>("/api/auth/login", input);
export const logout = () => postJson<{ ok: true }>("/api/auth/logout", {});
export const fetchAudit = (query: AuditQuery) =>
  apiFetch<AuditResponse>(withQuery("/api/audit", query as Record<string, string | number | undefined>));
