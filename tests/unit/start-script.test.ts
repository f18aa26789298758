import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listenHost } from "../../scripts/lib/listen-host.mjs";

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

describe("where npm start listens", () => {
  it("ignores a HOSTNAME that is a machine or container name (Docker sets the container id)", () => {
    expect(listenHost({ HOSTNAME: "3f2a9c1d7e4b" })).toBe("127.0.0.1");
    expect(listenHost({ HOSTNAME: "build-box.internal" })).toBe("127.0.0.1");
    expect(listenHost({})).toBe("127.0.0.1");
  });

  it("honours HOSTNAME when it is an address, and STREAMSCOPE_HOST always", () => {
    expect(listenHost({ HOSTNAME: "0.0.0.0" })).toBe("0.0.0.0");
    expect(listenHost({ HOSTNAME: "localhost" })).toBe("localhost");
    expect(listenHost({ HOSTNAME: "::1" })).toBe("::1");
    expect(listenHost({ HOSTNAME: "3f2a9c1d7e4b", STREAMSCOPE_HOST: "10.0.0.5" })).toBe("10.0.0.5");
  });

  it("refuses a non-loopback STREAMSCOPE_HOST without auth", () => {
    const dir = mkdtempSync(join(tmpdir(), "streamscope-start-"));
    const config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify({ auth: { readOnly: true } }));
    const res = spawnSync(process.execPath, ["scripts/start.mjs"], {
      env: {
        ...process.env,
        HOSTNAME: "3f2a9c1d7e4b",
        STREAMSCOPE_HOST: "0.0.0.0",
        STREAMSCOPE_CONFIG: config,
        PORT: "1",
      },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("Refusing to listen on 0.0.0.0 without login");
  });
});
