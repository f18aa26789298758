/**
 * Finds the system programs the demo and tests need (redis-server, Chromium) and installs the
 * missing ones from Debian's packages when apt-get is there and we are root; otherwise says
 * exactly what to install.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function has(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

export function chromiumPath(): string | null {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

interface Need {
  name: string;
  present: () => boolean;
  debianPackage: string;
  hint: string;
}

const NEEDS: Record<"redis" | "chromium", Need> = {
  redis: {
    name: "redis-server",
    present: () => Boolean(process.env.STREAMSCOPE_TEST_REDIS_BIN) || has("redis-server"),
    debianPackage: "redis-server",
    hint: "install redis-server 7.0+ (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), or set REDIS_URL to a Redis you run",
  },
  chromium: {
    name: "Chromium",
    present: () => chromiumPath() !== null,
    debianPackage: "chromium",
    hint: "install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH to a Chrome/Chromium binary",
  },
};

let aptUpdated = false;

function aptInstall(pkgs: string[]): boolean {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !has("apt-get")) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  console.log(`[streamscope] installing ${pkgs.join(", ")} from Debian's packages...`);
  if (!aptUpdated) {
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    aptUpdated = true;
  }
  return (
    spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { stdio: "inherit", env })
      .status === 0
  );
}

/** Ensures each named program exists; exits the process with a clear message when it cannot. */
export function ensureSystemDeps(which: Array<keyof typeof NEEDS>): void {
  const missing = which.map((w) => NEEDS[w]).filter((n) => !n.present());
  if (missing.length === 0) return;
  aptInstall(missing.map((m) => m.debianPackage));
  const still = missing.filter((n) => !n.present());
  if (still.length === 0) return;
  for (const n of still) console.error(`[streamscope] ${n.name} is missing: ${n.hint}.`);
  process.exit(1);
}
