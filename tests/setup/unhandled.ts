// Fails the test during which a promise rejection went unhandled (and the file, for one after
// its last test): an unhandled rejection is a bug even when the answer looked right.
import { afterAll, afterEach } from "vitest";

const seen: unknown[] = [];
process.on("unhandledRejection", (reason) => {
  seen.push(reason);
});

function check(): void {
  if (seen.length === 0) return;
  const reasons = seen.splice(0).map((r) => (r instanceof Error ? `${r.name}: ${r.message}` : String(r)));
  throw new Error(`unhandled promise rejection: ${reasons.join("; ")}`);
}

afterEach(check);
afterAll(check);
