import { describe, expect, it } from "vitest";
import { decodeSegment, encodeSegment, unescapeSegment } from "@/lib/contract/segment";

describe("path segments for key, group and consumer names", () => {
  it("keeps . and .. from being resolved away by URL parsing", () => {
    for (const name of [".", "..", "~.", "~~..", "a.b", "~x", "orders/é {x}?#%", "%2E", ""]) {
      const segment = encodeSegment(name);
      expect(segment).not.toBe(".");
      expect(segment).not.toBe("..");
      // What a browser does to the path, then what Next hands a page and a route handler.
      const path = new URL(`http://h/streams/${segment}/groups`).pathname;
      const raw = path.split("/")[2]!;
      expect(decodeSegment(raw)).toBe(name);
      expect(unescapeSegment(decodeURIComponent(raw))).toBe(name);
    }
  });

  it("changes nothing for ordinary names", () => {
    expect(encodeSegment("orders_2026112500")).toBe("orders_2026112500");
    expect(encodeSegment("a b")).toBe("a%20b");
    expect(encodeSegment("~x")).toBe("~x");
    expect(encodeSegment(".")).toBe("~.");
  });
});
