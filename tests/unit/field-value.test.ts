import { describe, expect, it } from "vitest";
import { base64ByteLength, fieldNameText, viewValue } from "@/components/pending/field-value";

describe("viewValue", () => {
  it("pretty-prints JSON objects and arrays", () => {
    expect(viewValue('{"a":1,"b":[2]}')).toEqual({ kind: "json", text: '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}' });
    expect(viewValue(" [1] ")).toEqual({ kind: "json", text: "[\n  1\n]" });
  });
  it("keeps other text as is, including numbers, empty strings and broken JSON", () => {
    expect(viewValue("42")).toEqual({ kind: "text", text: "42" });
    expect(viewValue("")).toEqual({ kind: "text", text: "" });
    expect(viewValue("{not json}")).toEqual({ kind: "text", text: "{not json}" });
  });
  it("shows binary values as base64 with their size", () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x01, 0x80]);
    expect(viewValue({ base64: bytes.toString("base64") })).toEqual({ kind: "binary", base64: "/wD+AYA=", bytes: 5 });
  });
  it("computes decoded sizes without decoding", () => {
    for (const n of [0, 1, 2, 3, 4, 100, 1001]) expect(base64ByteLength(Buffer.alloc(n, 7).toString("base64"))).toBe(n);
  });
  it("shows binary field names as base64 text", () => {
    expect(fieldNameText("name")).toBe("name");
    expect(fieldNameText({ base64: "/w==" })).toBe("base64:/w==");
  });
});
