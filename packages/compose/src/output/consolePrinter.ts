import { isControl } from './text.js';

/**
 * Prints partition consoles as they are written, one complete line at a time, each
 * prefixed with its partition's name in brackets (`[ticker] TA1  - rtems_clock_get_tod -
 * ...`), in virtual-time order. A bare-metal run prints its one console as is. Bytes are
 * Latin-1 (one char per byte), as a serial terminal shows them.
 *
 * A partition's bytes reach the user's terminal, so they are made harmless: control
 * characters other than tab and newline (C0, DEL and the C1 range, where 0x9B is an
 * 8-bit CSI) are shown as `\xNN`, and a line that never ends is cut every
 * MAX_LINE characters. Well-behaved consoles print exactly as written; the JSON
 * summary keeps the raw bytes.
 */
const MAX_LINE = 4096;

function visible(bytes: Uint8Array): string {
  let out = '';
  for (let start = 0; start < bytes.length; ) {
    let end = start;
    while (end < bytes.length && (bytes[end] === 0x0a || !isControl(bytes[end]!))) end++;
    for (let i = start; i < end; i += 8192) out += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
    if (end < bytes.length) out += `\\x${bytes[end]!.toString(16).padStart(2, '0')}`;
    start = end + 1;
  }
  return out;
}

export class ConsolePrinter {
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly prefixed: boolean,
  ) {}

  bytes(partition: string, bytes: Uint8Array): void {
    let text = (this.partial.get(partition) ?? '') + visible(bytes);
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n')) {
      this.lines(partition, text.slice(0, newline));
      text = text.slice(newline + 1);
    }
    while (text.length > MAX_LINE) {
      this.line(partition, text.slice(0, MAX_LINE));
      text = text.slice(MAX_LINE);
    }
    this.partial.set(partition, text);
  }

  /** Prints what is left of unfinished lines (at the end of a run). */
  flush(): void {
    for (const [partition, text] of this.partial) if (text.length > 0) this.line(partition, text);
    this.partial.clear();
  }

  private lines(partition: string, text: string): void {
    for (let start = 0; start < text.length || start === 0; start += MAX_LINE) this.line(partition, text.slice(start, start + MAX_LINE));
  }

  private line(partition: string, text: string): void {
    this.write(this.prefixed ? `[${partition}] ${text}\n` : `${text}\n`);
  }
}
