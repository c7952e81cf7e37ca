/**
 * Progress reporting for long jobs (imports, demo generation, training). A bar on a terminal,
 * periodic plain lines otherwise (CI logs, files), and nothing when silenced (tests).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Begins a named phase with a known total (0 when unknown). */
  start(label: string, total: number): void;
  /** Sets how much of the current phase is done. */
  update(done: number): void;
  /** Ends the current phase. */
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/** A progress reporter on stderr: a bar when stderr is a TTY, a line every few seconds otherwise. */
export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements Progress {
  private bar?: cliProgress.SingleBar;
  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(label: string, total: number): void {
    this.stop();
    this.bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} (eta {eta_formatted})`, stream: this.stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.max(total, 1), 0);
  }

  update(done: number): void {
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

class LineProgress implements Progress {
  private label = '';
  private total = 0;
  private done = 0;
  private startedAt = 0;
  private lastPrint = 0;
  constructor(private readonly stream: NodeJS.WriteStream, private readonly everyMs = 2000) {}

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.startedAt = this.lastPrint = Date.now();
    this.stream.write(`${label}: started (${total > 0 ? total : 'unknown'} to do)\n`);
  }

  update(done: number): void {
    this.done = done;
    const now = Date.now();
    if (now - this.lastPrint >= this.everyMs) {
      this.lastPrint = now;
      this.stream.write(`${this.label}: ${this.describe()}\n`);
    }
  }

  stop(): void {
    if (!this.label) return;
    this.stream.write(`${this.label}: done, ${this.describe()} in ${((Date.now() - this.startedAt) / 1000).toFixed(1)} s\n`);
    this.label = '';
  }

  private describe(): string {
    return this.total > 0 ? `${this.done}/${this.total} (${Math.round((100 * this.done) / this.total)}%)` : `${this.done}`;
  }
}
