import "server-only";
import { headers } from "next/headers";
import { authenticate } from "./identity";
import { canSeeStream } from "./scope";

/**
 * For pages under /streams/{key}: false when the visitor's scope leaves the key out, so the page
 * answers its not-found state exactly as for a missing stream (proxy.ts has already required a login).
 */
export async function pageSeesStream(key: string): Promise<boolean> {
  const identity = await authenticate(new Request("http://page.invalid/", { headers: await headers() }));
  return !!identity && canSeeStream(identity, key);
}
