import { describe, expect, it } from "vitest";
import { createDefaultFleetRepo, runCli } from "./helpers.ts";

const TOKEN = "ghp_Zq81TESTtokenThatMustNeverLeak0000";

describe("credentials in the repository URL", () => {
  it.each([
    [
      "as the URL's user",
      `https://${TOKEN}@github.com/o/r`,
      'The repository URL "https://***@github.com/o/r" carries credentials before its host',
    ],
    [
      "as a query parameter",
      `https://github.com/o/r?token=${TOKEN}`,
      'The repository URL "https://github.com/o/r?token=***" carries a query or fragment',
    ],
  ])("flux up --dry-run refuses a token %s, shows it as *** and puts no URL on a command line", async (_name, url, message) => {
    const result = await runCli(["flux", "up", "--dry-run"], await createDefaultFleetRepo(), { FLEET_REPO_URL: url });
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("set GITHUB_TOKEN (and GITHUB_USER) instead");
    expect(result.stdout).not.toContain("flux create source git");
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
    expect(result.code).toBe(1);
  });

  it("flux bootstrap --dry-run shows the token as ***, with FLEET_REPO_URL carrying one too", async () => {
    const result = await runCli(["flux", "bootstrap", "--dry-run"], await createDefaultFleetRepo(), {
      FLEET_REPO_URL: `https://${TOKEN}@github.com/o/r`,
      GITHUB_TOKEN: TOKEN,
      GITHUB_USER: "o",
      GITHUB_REPO: "r",
    });
    expect(result.stdout).toContain("GITHUB_TOKEN=*** flux bootstrap github");
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
    expect(result.code).toBe(0);
  });
});
