import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

export interface GitHubStandIn {
  /** The base URL, for GITHUB_API_URL. */
  url: string;
  /** Every request, in order. */
  requests: RecordedRequest[];
  /** The comments of each issue (pull request) number. */
  comments: Map<number, Array<{ id: number; body: string }>>;
  /** Make every write answer this status (403: a read-only token). */
  refuseWrites(status: number | undefined): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of request) text += String(chunk);
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/**
 * A real HTTP server on 127.0.0.1 that answers the GitHub REST calls a pull-request comment makes (list an
 * issue's comments page by page, create one, update one), keeping the comments in memory and every request made.
 */
export async function startGitHubStandIn(repository: string, token: string): Promise<GitHubStandIn> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, Array<{ id: number; body: string }>>();
  let nextId = 1000;
  let refused: number | undefined;
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const url = request.url ?? "";
      requests.push({ method: request.method ?? "", url, authorization: request.headers.authorization, body });
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(value));
      };
      if (request.headers.authorization !== `Bearer ${token}`) return send(401, { message: "Bad credentials" });
      const parsed = new URL(url, "http://127.0.0.1");
      const list = new RegExp(`^/repos/${repository}/issues/(\\d+)/comments$`).exec(parsed.pathname);
      const one = new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`).exec(parsed.pathname);
      if (request.method !== "GET" && refused !== undefined) return send(refused, { message: "Resource not accessible by integration" });
      if (list && request.method === "GET") {
        const perPage = Number(parsed.searchParams.get("per_page") ?? "30");
        const page = Number(parsed.searchParams.get("page") ?? "1");
        return send(200, (comments.get(Number(list[1])) ?? []).slice((page - 1) * perPage, page * perPage));
      }
      if (list && request.method === "POST") {
        const comment = { id: nextId++, body: (body as { body: string }).body };
        comments.set(Number(list[1]), [...(comments.get(Number(list[1])) ?? []), comment]);
        return send(201, comment);
      }
      if (one && request.method === "PATCH") {
        const comment = [...comments.values()].flat().find((c) => c.id === Number(one[1]));
        if (!comment) return send(404, { message: "Not Found" });
        comment.body = (body as { body: string }).body;
        return send(200, comment);
      }
      return send(404, { message: "Not Found" });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments,
    refuseWrites: (status) => (refused = status),
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
