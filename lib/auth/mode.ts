import "server-only";
import { connection } from "next/server";
import { getAuth } from "./config";

/** For server components: true when no auth is configured. Opts the caller into dynamic rendering. */
export async function isLocalMode(): Promise<boolean> {
  await connection();
  return !getAuth().enabled;
}

export async function loginMethods(): Promise<{ enabled: boolean; password: boolean; oidc: boolean }> {
  await connection();
  const auth = getAuth();
  return { enabled: auth.enabled, password: auth.users.length > 0, oidc: !!auth.oidc };
}
