import { isErrorBody, type ErrorCode } from "@/lib/errors";
import { encodeSegment } from "@/lib/contract/segment";

/** The error the browser sees: the same code and message the route answered. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | "NETWORK",
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: {
        accept: "application/json",
        ...(init?.body ? { "content-type": "application/json" } : {}),
        ...init?.headers,
      },
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError("NETWORK", "The dashboard server is unreachable", 0);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (isErrorBody(body)) throw new ApiError(body.error.code, body.error.message, res.status);
    throw new ApiError("INTERNAL", `Request failed with status ${res.status}`, res.status);
  }
  return body as T;
}

export const seg = encodeSegment;

export function withQuery(path: string, query: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function postJson<T>(path: string, body: unknown, method = "POST"): Promise<T> {
  return apiFetch<T>(path, { method, body: JSON.stringify(body) });
}
