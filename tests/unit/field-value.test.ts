import { describe, expect, it } from "vitest";
import { viewValue } from "@/components/pending/field-value";

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
  it("shows binary values as on the stream page: size and hex, base64 kept for copy and download", () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x01, 0x80]);
    expect(viewValue({ base64: bytes.toString("base64") })).toEqual({
      kind: "binary",
      base64: "/wD+AYA=",
      bytes: 5,
      hex: "ff 00 fe 01 80",
    });
  });
});
