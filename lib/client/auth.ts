import { apiFetch, postJson } from "./fetcher";
import type { LoginRequest, LoginResponse, LogoutResponse, MeResponse } from "@/lib/contract/auth";

export const authClient = {
  me: () => apiFetch<MeResponse>("/api/auth/me"),
  login: (input: LoginRequest) => postJson<LoginResponse>("/api/auth/login", input),
  logout: () => postJson<LogoutResponse>("/api/auth/logout", {}),
};
