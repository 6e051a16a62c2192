import { describe, expect, it } from "vitest";
import { UserError } from "./user-error.ts";

class UsageError extends UserError {}
class OtherError extends UserError {}

describe("UserError", () => {
  it("matches its subclasses, keeps each subclass's own instanceof, and never matches a plain Error", () => {
    const usage = new UsageError("no fleet", { cause: "x" });
    expect(usage instanceof UserError).toBe(true);
    expect(usage instanceof UsageError).toBe(true);
    expect(usage instanceof OtherError).toBe(false);
    expect(usage.cause).toBe("x");
    expect(new Error("bug") instanceof UserError).toBe(false);
    expect((null as unknown) instanceof UserError).toBe(false);
  });

  it("matches an error of another copy of the package, by its registered symbol", () => {
    const foreign = Object.defineProperty(new Error("from a second copy"), Symbol.for("@flux-fleet/user-error"), { value: true });
    expect(foreign instanceof UserError).toBe(true);
  });
});
