import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** Server modules: never imported by browser code. */
const SERVER = ["lib/redis", "lib/streams", "lib/pending", "lib/actions", "lib/alerts", "lib/history", "lib/metrics", "lib/worker", "lib/config", "lib/auth", "lib/audit", "lib/http"];
/** The domain: above lib/redis, below lib/worker and lib/http. */
const DOMAIN = ["lib/streams", "lib/pending", "lib/actions", "lib/alerts", "lib/history", "lib/metrics", "lib/config", "lib/auth", "lib/audit"];
const BROWSER = ["lib/client", "lib/hooks", "components"];
/** The bottom: the wire contract and pure helpers, imported by both sides. */
const CONTRACT = ["lib/contract", "lib/errors.ts", "lib/format.ts", "lib/glob.ts"];

const layering = [
  {
    target: CONTRACT,
    from: ["lib", "components", "app"],
    except: ["./contract", "./errors.ts", "./format.ts", "./glob.ts"],
    message: "lib/contract, lib/errors.ts, lib/format.ts and lib/glob.ts import only each other (and zod).",
  },
  {
    target: ["lib/runtime"],
    from: ["lib", "components", "app"],
    except: ["./runtime"],
    message: "lib/runtime (process-wide state) imports nothing of the app.",
  },
  { target: BROWSER, from: SERVER, message: "Browser code (lib/client, lib/hooks, components) imports no server module." },
  { target: [...SERVER, "app/api"], from: BROWSER, message: "Server code imports no lib/client, lib/hooks or components." },
  { target: DOMAIN, from: ["lib/worker", "lib/http"], message: "The domain never imports the worker or the route wrapper: they are assembled above it." },
  { target: ["lib/redis"], from: [...DOMAIN, "lib/worker", "lib/http"], message: "lib/redis is the bottom of the server: it imports none of the domain." },
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
