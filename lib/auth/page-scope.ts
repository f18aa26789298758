import "server-only";
import { headers } from "next/headers";
import { authenticate } from "./identity";
import { isAppKey } from "@/lib/redis/app-keys";
import { canSeeStream } from "./scope";

/**
 * For pages under /streams/{key}: false for the app's own keys and when the visitor's scope leaves
 * the key out, so the page answers its not-found state exactly as for a missing stream (proxy.ts
 * has already required a login).
 */
export async function pageSeesStream(key: string): Promise<boolean> {
  if (isAppKey(key)) return false;
  const identity = await authenticate(new Request("http://page.invalid/", { headers: await headers() }));
  return !!identity && canSeeStream(identity, key);
}
