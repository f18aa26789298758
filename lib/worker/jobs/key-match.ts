import type { JobContext } from "../types";

/** The job's key glob when it narrows the scan (tests, benches); undefined for every key. */
export function keyMatchOf(ctx: JobContext): string | undefined {
  return ctx.keyMatch !== undefined && ctx.keyMatch !== "*" ? ctx.keyMatch : undefined;
}
