/** Progress of a long command: one line, rewritten in place. */
export interface Progress {
  update(text: string): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

/**
 * Progress on a terminal for commands that take more than `delayMs`; nothing at all when the stream is not
 * a TTY (CI logs stay line-oriented).
 *
 * @example
 * ```ts
 * const progress = createProgress(process.stderr);
 * progress.update("rendering 1000 clusters");
 * progress.done();
 * ```
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, delayMs = 1000): Progress {
  if (!stream.isTTY) return SILENT;
  const started = Date.now();
  let shown = false;
  return {
    update(text) {
      if (Date.now() - started < delayMs) return;
      shown = true;
      stream.write(`\r${text}\x1b[K`);
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}
