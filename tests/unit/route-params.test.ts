import { describe, expect, it } from "vitest";
import { decodePageParam } from "@/lib/route-params";

describe("decodePageParam", () => {
  it("decodes what encodeURIComponent made, once", () => {
    for (const key of ["a:b %x/1 é", "orders {eu}/1", "%41", "plain"]) expect(decodePageParam(encodeURIComponent(key))).toBe(key);
  });
  it("keeps a malformed sequence as it came", () => {
    expect(decodePageParam("100%")).toBe("100%");
  });
});
