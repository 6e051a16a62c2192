import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { formatCommand, formatPlan, shellQuote, type Plan } from "./plan.ts";
import { Redacted, revealDeep } from "./redacted.ts";

describe("plan formatting", () => {
  it("quotes only words a shell would split or expand", () => {
    expect(shellQuote("--from-file=value=.fleet/kubeconfigs/staging.yaml")).toBe("--from-file=value=.fleet/kubeconfigs/staging.yaml");
    expect(shellQuote("{{.Server.Version}}")).toBe("'{{.Server.Version}}'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("")).toBe("''");
  });

  it("prints pipes, redirections, environment and JSON stdin, secrets as ***", () => {
    const plan: Plan = {
      title: "demo",
      steps: [
        { description: "pipe", argv: ["a", "b c"], pipeTo: ["d", "-f", "-"] },
        { description: "file", argv: ["kind", "get", "kubeconfig"], stdout: { kind: "file", path: ".fleet/x.yaml", mode: 0o600 } },
        { description: "env", argv: ["flux", "bootstrap"], env: { GITHUB_TOKEN: new Redacted("ghp_abc"), OWNER: "acme" } },
        {
          description: "stdin",
          argv: ["kubectl", "apply", "-f", "-"],
          stdin: { kind: "json", value: { data: { password: new Redacted("c2VjcmV0") } } },
        },
      ],
    };
    expect(formatPlan(plan)).toBe(
      [
        "# demo: 4 steps",
        "# 1. pipe",
        "a 'b c' | d -f -",
        "# 2. file",
        "kind get kubeconfig > .fleet/x.yaml",
        "# 3. env",
        "GITHUB_TOKEN=*** OWNER=acme flux bootstrap",
        "# 4. stdin",
        "kubectl apply -f - <<'EOF'",
        '{"data":{"password":"***"}}',
        "EOF",
        "",
      ].join("\n"),
    );
    expect(formatCommand({ description: "one", argv: ["x"] })).toBe("x");
  });

  it("never shows a redacted value, except through reveal", () => {
    const secret = new Redacted("ghp_topsecret");
    expect(String(secret)).toBe("***");
    expect(JSON.stringify({ secret })).toBe('{"secret":"***"}');
    expect(inspect({ secret })).not.toContain("topsecret");
    expect(Object.keys(secret)).toEqual([]);
    expect(secret.reveal()).toBe("ghp_topsecret");
    expect(revealDeep({ list: [secret], plain: 1 })).toEqual({ list: ["ghp_topsecret"], plain: 1 });
  });
});
