import { describe, expect, it } from "vitest";
import { redactUrl } from "./redacted.ts";

describe("redactUrl", () => {
  it.each([
    ["https://ghp_abc@github.com/acme/fleet", "https://***@github.com/acme/fleet"],
    ["https://octocat:ghp_abc@github.com/acme/fleet", "https://***@github.com/acme/fleet"],
    ["https://github.com/acme/fleet?token=ghp_abc&ref=main", "https://github.com/acme/fleet?token=***&ref=***"],
    ["ghp_abc@github.com/acme/fleet", "***@github.com/acme/fleet"],
    ["https://github.com/acme/fleet", "https://github.com/acme/fleet"],
  ])("shows %s as %s", (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});
