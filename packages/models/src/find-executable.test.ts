import { describe, expect, it } from "vitest";
import { findExecutable } from "./find-executable.ts";

describe("findExecutable", () => {
  it("finds only executable files", () => {
    expect(findExecutable("sh", "/nonexistent:/bin")).toBe("/bin/sh");
    expect(findExecutable("passwd", "/etc")).toBeUndefined();
  });
});
