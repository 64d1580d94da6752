/**
 * Progress for long work (imports, ingestion, demo generation): a single line redrawn on a TTY,
 * nothing at all when the stream is piped or `--quiet` is given.
 */

/** The part of a writable stream progress needs. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Reports how far a piece of long work has got. */
export interface Progress {
  /** Sets the current step's label and, if known, its total. */
  start(label: string, total?: number): void;
  /** Advances the current step by `count`. */
  tick(count?: number): void;
  /** Clears the line; prints `summary` if given (on a TTY only). */
  done(summary?: string): void;
}

/** A progress that shows nothing. */
export const silentProgress: Progress = {
  start() {},
  tick() {},
  done() {},
};

/** A progress line on `stream` if it is a TTY and not quiet; otherwise `silentProgress`. */
export function createProgress(stream: ProgressStream, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || !stream.isTTY) return silentProgress;
  return new TerminalProgress(stream);
}

const REDRAW_INTERVAL_MS = 100;

class TerminalProgress implements Progress {
  private label = '';
  private total: number | undefined;
  private count = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: ProgressStream) {}

  start(label: string, total?: number): void {
    this.label = label;
    this.total = total;
    this.count = 0;
    this.draw(true);
  }

  tick(count = 1): void {
    this.count += count;
    this.draw(false);
  }

  done(summary?: string): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
    if (summary) this.stream.write(`${summary}\n`);
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    const amount =
      this.total === undefined
        ? `${this.count}`
        : `${this.count}/${this.total} (${Math.floor((100 * this.count) / Math.max(this.total, 1))}%)`;
    this.stream.write(`\r\x1b[2K${this.label} ${amount}`);
    this.drawn = true;
  }
}
