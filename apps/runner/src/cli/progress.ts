/** A progress bar on stderr for long runs on a terminal (never with --quiet, --json - or off a TTY). */
import type { Nanoseconds } from '@paravirt/machine';

export class ProgressBar {
  private lastDraw = -Infinity;

  constructor(
    private readonly write: (text: string) => void,
    private readonly total: Nanoseconds,
    private readonly clock: () => number,
  ) {}

  update(now: Nanoseconds): void {
    const wall = this.clock();
    if (wall - this.lastDraw < 100 && now < this.total) return;
    this.lastDraw = wall;
    const fraction = Math.min(1, now / this.total);
    const width = 30;
    const filled = Math.round(fraction * width);
    this.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(now / 1e9).toFixed(1)}/${(this.total / 1e9).toFixed(1)} s virtual`);
  }

  finish(): void {
    this.write('\r\x1b[K');
  }
}
