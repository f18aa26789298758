import { familyOfKey } from "@/lib/shared/families";

/**
 * What one scrape exports per stream: a series unit is a plain stream (labelled by its key) or a
 * family (labelled by its pattern, `orders_<yyyyMMddHH>`, its members summed), so hourly and
 * daily streams do not add a label value per period. Families are found as the overview finds
 * them (lib/shared/families.ts): a configured pattern from its first member, a detected one from
 * two members.
 */
export interface SeriesUnit {
  /** The `stream` label: the key, or the family's pattern. */
  label: string;
  family: boolean;
  keys: string[];
}

/** The keys as series units, in the keys' order (a family where its first member is). */
export function seriesUnits(keys: readonly string[], configured: readonly string[] = []): SeriesUnit[] {
  const byPattern = new Map<string, string[]>();
  const patternOf = new Map<string, string>();
  for (const key of keys) {
    const fam = familyOfKey(key, configured);
    if (!fam) continue;
    patternOf.set(key, fam.pattern);
    const members = byPattern.get(fam.pattern);
    if (members) members.push(key);
    else byPattern.set(fam.pattern, [key]);
  }
  const configuredSet = new Set(configured);
  const units: SeriesUnit[] = [];
  const emitted = new Set<string>();
  for (const key of keys) {
    const pattern = patternOf.get(key);
    const members = pattern === undefined ? undefined : byPattern.get(pattern)!;
    if (pattern === undefined || !members || (members.length < 2 && !configuredSet.has(pattern))) {
      units.push({ label: key, family: false, keys: [key] });
      continue;
    }
    if (emitted.has(pattern)) continue;
    emitted.add(pattern);
    units.push({ label: pattern, family: true, keys: members });
  }
  return units;
}

/**
 * The units read in one scrape: in order, each whole while the streams read stay within
 * `maxStreams` (a family too big for what is left is skipped whole, later smaller units still
 * fit). `omitted`: the streams of the units left out.
 */
export function unitsWithin(units: readonly SeriesUnit[], maxStreams: number): { kept: SeriesUnit[]; omitted: number } {
  const kept: SeriesUnit[] = [];
  let read = 0;
  let omitted = 0;
  for (const unit of units) {
    if (read + unit.keys.length <= maxStreams) {
      kept.push(unit);
      read += unit.keys.length;
    } else omitted += unit.keys.length;
  }
  return { kept, omitted };
}
