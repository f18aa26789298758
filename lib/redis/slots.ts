import calculateSlot from "cluster-key-slot";

/** Hash slots of a Redis Cluster. */
export const SLOT_COUNT = 16384;

/** The hash slot of a key, as Redis Cluster computes it (the hash tag's, when the key has one). */
export function slotOf(key: string): number {
  return calculateSlot(key);
}

/** The hash tag of a key (`x` in `a{x}b`), or null when the whole key is hashed. */
export function hashTagOf(key: string): string | null {
  const open = key.indexOf("{");
  if (open < 0) return null;
  const close = key.indexOf("}", open + 1);
  if (close < 0 || close === open + 1) return null;
  return key.slice(open + 1, close);
}

let tagsBySlot: string[] | undefined;

/**
 * A short string that hashes to `slot`: `{<tag>}` in any key puts that key in the slot. Found once
 * by counting upwards in base 36 (about 140,000 tries cover every slot).
 */
export function tagForSlot(slot: number): string {
  if (!tagsBySlot) {
    const found: string[] = new Array<string>(SLOT_COUNT);
    let missing = SLOT_COUNT;
    for (let n = 0; missing > 0; n++) {
      const tag = n.toString(36);
      const s = calculateSlot(tag);
      if (found[s] === undefined) {
        found[s] = tag;
        missing--;
      }
    }
    tagsBySlot = found;
  }
  return tagsBySlot[slot]!;
}

/**
 * A hash tag that puts a new key in the same slot as `key`: the key's own tag when it has one, the
 * key itself when it has no braces (`{key}` hashes exactly like `key`), else a computed tag.
 */
export function sameSlotTag(key: string): string {
  const own = hashTagOf(key);
  if (own !== null) return own;
  if (!key.includes("{") && !key.includes("}")) return key;
  return tagForSlot(slotOf(key));
}

/** Whether every key hashes to one slot (what a script or MULTI on a cluster needs). */
export function sameSlot(keys: readonly string[]): boolean {
  if (keys.length < 2) return true;
  const first = slotOf(keys[0]!);
  return keys.every((k) => slotOf(k) === first);
}
