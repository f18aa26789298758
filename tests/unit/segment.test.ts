import { describe, expect, it } from "vitest";
import { decodeSegment } from "@/lib/http/segment";

describe("decodeSegment", () => {
  it.each(["a/b", "100%", "what?", "hash#tag", "with space", "{braces}", "ünï©ødé 🚀", "e2e:x:y"])("round-trips %j", (key) => {
    expect(decodeSegment(encodeURIComponent(key))).toBe(key);
  });
  it("keeps a malformed escape as it came", () => {
    expect(decodeSegment("100%")).toBe("100%");
  });
});
