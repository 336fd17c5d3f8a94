/**
 * A progress bar on stderr for long runs on a terminal (never with --quiet, --json - or off
 * a TTY): `[#########---------------------] 138.5/300.0 s virtual, 12 s left`.
 *
 * Consoles print on stdout, usually the same terminal: whoever prints a line calls clear()
 * first, so a line never lands after the bar; the next update() draws the bar again below.
 */
import type { Nanoseconds } from '@paravirt/machine';

/** Wall time between two draws, in ms. */
const REDRAW_MS = 100;
/** The ETA shows once this much wall time (ms) and virtual time (fraction) have passed: before, it would be noise. */
const ETA_AFTER_MS = 1000;
const ETA_AFTER_FRACTION = 0.01;

/** Wall milliseconds as `1 h 02 min`, `3 min 05 s`, `42 s`. */
export function formatEta(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export class ProgressBar {
  private lastDraw = -Infinity;
  private shown = false;
  private readonly started: number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly total: Nanoseconds,
    private readonly clock: () => number,
  ) {
    this.started = clock();
  }

  update(now: Nanoseconds): void {
    const wall = this.clock();
    if (wall - this.lastDraw < REDRAW_MS && now < this.total) return;
    this.lastDraw = wall;
    const fraction = Math.min(1, now / this.total);
    const width = 30;
    const filled = Math.round(fraction * width);
    const elapsed = wall - this.started;
    const eta = fraction >= ETA_AFTER_FRACTION && fraction < 1 && elapsed >= ETA_AFTER_MS ? `, ${formatEta((elapsed * (1 - fraction)) / fraction)} left` : '';
    this.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(now / 1e9).toFixed(1)}/${(this.total / 1e9).toFixed(1)} s virtual${eta}\x1b[K`);
    this.shown = true;
  }

  /** Takes the bar off its line (before a console or stderr line is printed there); an update() draws it again (at most every REDRAW_MS). */
  clear(): void {
    if (!this.shown) return;
    this.write('\r\x1b[K');
    this.shown = false;
  }

  finish(): void {
    this.write('\r\x1b[K');
    this.shown = false;
  }
}
