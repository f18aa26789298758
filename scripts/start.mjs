// `npm start`: serves the built app on PORT (default 3000) and HOSTNAME (default 127.0.0.1).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");
const port = process.env.PORT || "3000";
const hostname = process.env.HOSTNAME || "127.0.0.1";
const child = spawn(process.execPath, [nextBin, "start", "-p", port, "-H", hostname], { stdio: "inherit", env: process.env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
