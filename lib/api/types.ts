/**
 * Response shapes shared by route handlers and client hooks. Plain types: no server imports.
 */
import type { ErrorBody } from "@/lib/errors";

export type HealthResponse =
  | { status: "ok"; redis: { version: string; mode: string; flavor: string } }
  | { status: "error"; error: ErrorBody["error"] };

/** A field value: a string when it is valid UTF-8, else its bytes in base64. */
export type FieldValue = string | { base64: string };
export type FieldPair = [FieldValue, FieldValue];
