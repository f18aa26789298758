/**
 * Redis-style glob (`*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x`) to a RegExp. `*` matches any
 * characters including `/` and `:`, as Redis MATCH does.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  let out = "^";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) {
      out += escapeRe(glob[++i]!);
    } else if (c === "*") {
      out += "[\\s\\S]*";
    } else if (c === "?") {
      out += "[\\s\\S]";
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      out += `[${negate ? "^" : ""}${body.replace(/[\\\]]/g, "\\$&")}]`;
      i = end;
    } else {
      out += escapeRe(c);
    }
  }
  const re = new RegExp(`${out}$`, "u");
  if (cache.size > 1000) cache.clear();
  cache.set(glob, re);
  return re;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

export function globMatch(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}
