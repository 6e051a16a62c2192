import { describe, expect, it, vi } from "vitest";
import { createProgress } from "./progress.ts";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream, writes };
}

describe("createProgress", () => {
  it("stays silent when the stream is not a terminal", () => {
    const { stream, writes } = fakeStream(false);
    const progress = createProgress(stream, 0);
    progress.update("rendering");
    progress.done();
    expect(writes).toEqual([]);
  });

  it("shows nothing for commands shorter than the delay", () => {
    const { stream, writes } = fakeStream(true);
    const progress = createProgress(stream, 60_000);
    progress.update("rendering");
    progress.done();
    expect(writes).toEqual([]);
  });

  it("rewrites one line on a terminal after the delay, and clears it when done", () => {
    vi.useFakeTimers();
    const { stream, writes } = fakeStream(true);
    const progress = createProgress(stream, 1000);
    vi.advanceTimersByTime(1500);
    progress.update("rendering 1000 clusters");
    progress.update("writing");
    progress.done();
    vi.useRealTimers();
    expect(writes).toEqual(["\rrendering 1000 clusters\x1b[K", "\rwriting\x1b[K", "\r\x1b[K"]);
  });
});
