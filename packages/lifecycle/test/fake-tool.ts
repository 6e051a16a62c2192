// A stand-in for docker, kind, kubectl and flux, which cannot run on the test machines. `fake-tools.ts` puts a
// wrapper per tool on a temporary PATH; each call is appended to FAKE_LOG as a JSON array [tool, ...args].
// Secrets received on stdin are never written anywhere: only their SHA-256 is logged.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [tool = "", ...args] = process.argv.slice(2);
const env = process.env;
const command = args.join(" ");

function log(entry: unknown[]): void {
  if (env["FAKE_LOG"]) appendFileSync(env["FAKE_LOG"], `${JSON.stringify(entry)}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function readStdin(): string {
  return readFileSync(0, "utf8");
}

function flag(name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

log([tool, ...args]);
if (env["FAKE_FAIL"] && `${tool} ${command}`.startsWith(env["FAKE_FAIL"])) fail(`fake ${tool}: failing on purpose`);

switch (tool) {
  case "docker":
    if (env["FAKE_DOCKER_DOWN"]) fail("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");
    if (args[0] === "version") process.stdout.write(`${env["FAKE_DOCKER_VERSION"] ?? "29.1.0"}\n`);
    break;
  case "kind":
    if (args[0] === "version") process.stdout.write(`kind v${env["FAKE_KIND_VERSION"] ?? "0.33.0"} go1.25.3 linux/amd64\n`);
    else if (command === "get clusters") {
      const clusters = (env["FAKE_KIND_CLUSTERS"] ?? "").split(",").filter(Boolean);
      if (clusters.length === 0) process.stderr.write("No kind clusters found.\n");
      else process.stdout.write(clusters.map((c) => `${c}\n`).join(""));
    } else if (command.startsWith("get kubeconfig")) {
      const name = flag("--name") ?? "kind";
      process.stdout.write(
        `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://${name}-control-plane:6443\n  name: kind-${name}\n`,
      );
    }
    break;
  case "kubectl":
    if (args[0] === "version") process.stdout.write("Client Version: v1.32.0\nKustomize Version: v5.5.0\n");
    else if (args.includes("--dry-run=client")) {
      const kind = args.includes("namespace") ? "Namespace" : "Secret";
      process.stdout.write(
        `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${args[args.indexOf(kind === "Namespace" ? "namespace" : "generic") + 1]}\n`,
      );
    } else if (args.includes("apply")) {
      const input = readStdin();
      if (input.trimStart().startsWith("{")) {
        const manifest = JSON.parse(input) as { kind: string; data?: Record<string, string> };
        const password = Buffer.from(manifest.data?.["password"] ?? "", "base64").toString("utf8");
        log(["stdin", manifest.kind, createHash("sha256").update(password).digest("hex")]);
      } else {
        log(["stdin", /kind: (\w+)/.exec(input)?.[1] ?? "?", /name: (\S+)/.exec(input)?.[1] ?? "?"]);
      }
    }
    break;
  case "flux":
    if (args[0] === "version") process.stdout.write(`flux: v${env["FAKE_FLUX_VERSION"] ?? "2.9.2"}\n`);
    else if (args[0] === "get") {
      const file = join(env["FAKE_FLUX_FIXTURES"] ?? "", `${args[1]}-${flag("--namespace")}.txt`);
      if (existsSync(file)) process.stdout.write(readFileSync(file, "utf8"));
      else process.stderr.write(`✗ no ${args[1]} objects found in ${flag("--namespace")} namespace\n`);
    }
    break;
  default:
    fail(`fake-tool: unknown tool ${tool}`);
}
