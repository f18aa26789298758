/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, e.g. from `LOAD_CPU_PROF=<dir> npx tsx bench/load.ts`):
 * total time per part (the app's own code, Next, React, ioredis, zod, other node_modules, Node
 * itself, idle/GC) and the top self-time functions of the app's own code and of Next.
 * Run: `npx tsx bench/cpu-profile.ts <dir or .cpuprofile> [top=10] [--inclusive]`; with `--inclusive`,
 * also the functions of the app and of Next with the most time spent in them and what they called.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { SourceMap } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Part = "app" | "next" | "react" | "ioredis" | "zod" | "other modules" | "node" | "idle/gc/program";

/** Turbopack names a chunk after the sources in it: `[root-of-the-server]__...` and paths of `lib/`, `app/`. */
function partOf(url: string, name: string): Part {
  if (!url)
    return name === "(idle)" || name === "(garbage collector)" || name === "(program)" ? "idle/gc/program" : "node";
  if (url.startsWith("node:")) return "node";
  if (/node_modules[\\/]next[\\/]/.test(url) || /next[\\/]dist/.test(url)) return "next";
  if (/node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(url)) return "react";
  if (/ioredis|redis-parser|denque|cluster-key-slot/.test(url)) return "ioredis";
  if (/node_modules[\\/]zod[\\/]/.test(url)) return "zod";
  if (/node_modules/.test(url) && !/\.next[\\/]/.test(url)) return "other modules";
  if (/\.next[\\/]server/.test(url)) return "app";
  // Sources run as they are (tsx, e.g. bench/rows-profile.ts).
  if (/^file:.*[\\/](lib|app)[\\/].*\.tsx?$/.test(url)) return "app";
  return "node";
}

const maps = new Map<string, SourceMap | null>();

/** The build's minified chunks come with source maps: name a sample by its original file and line. */
function original(url: string, line: number, column: number): string | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      const file = `${url.startsWith("file:") ? fileURLToPath(url) : url}.map`;
      if (existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, "utf8")));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  const entry = maps.get(url)?.findEntry(line, column) as
    { originalSource?: string; originalLine?: number; name?: string } | undefined;
  if (!entry?.originalSource) return null;
  const source = entry.originalSource
    .replace(/^.*?\/(lib|app|node_modules)\//, "$1/")
    .replace(/^turbopack:\/\/\/\[project\]\//, "");
  return `${entry.name ?? ""} ${source}:${(entry.originalLine ?? 0) + 1}`.trim();
}

function load(path: string): Profile[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(path, f))
    : [path];
  return files.map((f) => JSON.parse(readFileSync(f, "utf8")) as Profile);
}

function main() {
  const args = process.argv.slice(2);
  const inclusive = args.includes("--inclusive");
  const [path, topArg] = args.filter((a) => a !== "--inclusive");
  const inclusiveUs = new Map<string, { us: number; part: Part }>();
  if (!path) throw new Error("usage: npx tsx bench/cpu-profile.ts <dir or .cpuprofile> [top]");
  const top = Number(topArg ?? 10);
  const selfUs = new Map<string, { us: number; part: Part }>();
  const partUs = new Map<Part, number>();
  let totalUs = 0;
  for (const profile of load(path)) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const labels = new Map<number, { label: string; part: Part }>();
    const labelOf = (node: ProfileNode): { label: string; part: Part } => {
      const known = labels.get(node.id);
      if (known) return known;
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      const name = functionName || "(anonymous)";
      let part = partOf(url, name);
      const where = url ? `${url.replace(/^.*?(\.next\/|node_modules\/)/, "$1")}:${lineNumber + 1}` : "";
      let label = `${name} ${where}`.trim();
      if (part === "app") {
        const orig = original(url, lineNumber, columnNumber);
        if (orig) {
          label = `${name} -> ${orig}`;
          // Next's and other packages' code bundled into the app's chunks.
          if (/node_modules\/next\//.test(orig)) part = "next";
          else if (/node_modules\/zod\//.test(orig)) part = "zod";
          else if (/node_modules\//.test(orig)) part = "other modules";
        }
      }
      const named = { label, part };
      labels.set(node.id, named);
      return named;
    };
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      const dt = profile.timeDeltas[i] ?? 0;
      if (!node) return;
      const { label, part } = labelOf(node);
      if (inclusive) {
        const onStack = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const frame = byId.get(at);
          if (!frame) break;
          const named = labelOf(frame);
          if (onStack.has(named.label)) continue;
          onStack.add(named.label);
          const sum = inclusiveUs.get(named.label) ?? { us: 0, part: named.part };
          sum.us += dt;
          inclusiveUs.set(named.label, sum);
        }
      }
      const cur = selfUs.get(label) ?? { us: 0, part };
      cur.us += dt;
      selfUs.set(label, cur);
      partUs.set(part, (partUs.get(part) ?? 0) + dt);
      totalUs += dt;
    });
  }
  const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1)}%`.padStart(6);
  console.log(`profiled ${(totalUs / 1e6).toFixed(1)} s of the app's main thread`);
  for (const [part, us] of [...partUs].sort((a, b) => b[1] - a[1]))
    console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${part}`);
  for (const wanted of ["app", "next", "react", "ioredis", "node"] as Part[]) {
    console.log(`\ntop ${top} self time: ${wanted}`);
    [...selfUs]
      .filter(([, v]) => v.part === wanted)
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .forEach(([label, v]) =>
        console.log(`${pct(v.us)}  ${(v.us / 1000).toFixed(0).padStart(7)} ms  ${label.slice(0, 140)}`),
      );
  }
  if (inclusive) {
    console.log(`\ntop ${top * 4} inclusive time: app and next`);
    [...inclusiveUs]
      .filter(([, v]) => v.part === "app" || v.part === "next")
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top * 4)
      .forEach(([label, v]) =>
        console.log(`${pct(v.us)}  ${(v.us / 1000).toFixed(0).padStart(7)} ms  ${label.slice(0, 140)}`),
      );
  }
}

main();
