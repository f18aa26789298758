// Node flags for the app's process (npm start, the demo, the browser tests' server, benchmarks).
// A larger young generation: building the overview's rows allocates a lot of short-lived objects,
// and with V8's default semi-space the scavenges cost about a tenth of a 10,000-stream overview
// (bench/overview.ts: 1.36x and 1.47x the minimal script with it, 1.55x and 1.52x without). It
// costs at most a few tens of MiB of memory.
export const APP_NODE_FLAGS = ["--max-semi-space-size=32"];
