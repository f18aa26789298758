import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("npm start without auth", () => {
  it("refuses a non-loopback HOSTNAME and says what to configure", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamscope-start-"));
    const config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify({ auth: { readOnly: true } }));
    const res = spawnSync(process.execPath, ["scripts/start.mjs"], {
      env: { ...process.env, HOSTNAME: "0.0.0.0", STREAMSCOPE_CONFIG: config, PORT: "1" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("Refusing to listen on 0.0.0.0 without login");
    expect(res.stderr).toContain("npm run hash-secret");
  });
});
