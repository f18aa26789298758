import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The layering (ARCHITECTURE.md). Bottom: lib/contract (+ lib/errors.ts), then lib/shared (pure
 * helpers both sides use). Browser: lib/client -> lib/hooks -> components. Server: lib/runtime,
 * lib/log.ts, lib/env.ts and lib/redis at the bottom, the domain above, lib/worker, lib/http and
 * lib/startup.ts on top.
 */
const DOMAIN = [
  "lib/streams",
  "lib/pending",
  "lib/actions",
  "lib/alerts",
  "lib/history",
  "lib/metrics",
  "lib/config",
  "lib/auth",
  "lib/audit",
  "lib/health",
];
const TOP = ["lib/worker", "lib/http", "lib/startup.ts"];
const SERVER = ["lib/redis", "lib/runtime", "lib/log.ts", "lib/env.ts", ...DOMAIN, ...TOP];
const BROWSER = ["lib/client", "lib/hooks", "components"];

const layering = [
  {
    target: ["lib/contract", "lib/errors.ts"],
    from: ["lib", "components", "app"],
    except: ["./contract", "./errors.ts"],
    message: "lib/contract and lib/errors.ts are the bottom: they import only each other (and zod).",
  },
  {
    target: ["lib/shared"],
    from: ["lib", "components", "app"],
    except: ["./shared", "./contract", "./errors.ts"],
    message: "lib/shared holds pure helpers for both sides: it imports only lib/contract, lib/errors.ts and itself.",
  },
  {
    target: ["lib/runtime"],
    from: ["lib", "components", "app"],
    except: ["./runtime"],
    message: "lib/runtime (process-wide state) imports nothing of the app.",
  },
  {
    target: BROWSER,
    from: SERVER,
    message: "Browser code (lib/client, lib/hooks, components) imports no server module.",
  },
  {
    target: [...SERVER, "app/api"],
    from: BROWSER,
    message: "Server code imports no lib/client, lib/hooks or components.",
  },
  {
    target: DOMAIN,
    from: TOP,
    message: "The domain never imports the worker, the route wrapper or the start-up: they are assembled above it.",
  },
  {
    target: ["lib/redis"],
    from: [...DOMAIN, ...TOP],
    message: "lib/redis is the bottom of the server: it imports none of the domain.",
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    files: ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"],
    rules: {
      "import/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: layering }],
    },
  },
];

export default config;
