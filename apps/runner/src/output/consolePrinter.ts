/**
 * Prints partition consoles as they are written, one complete line at a time, each
 * prefixed with its partition's name in brackets (`[ticker] TA1  - rtems_clock_get_tod -
 * ...`), in virtual-time order. A bare-metal run prints its one console as is. Bytes are
 * Latin-1 (one char per byte), as a serial terminal shows them.
 */
export class ConsolePrinter {
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly prefixed: boolean,
  ) {}

  bytes(partition: string, bytes: Uint8Array): void {
    let text = (this.partial.get(partition) ?? '') + String.fromCharCode(...bytes);
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n')) {
      this.line(partition, text.slice(0, newline));
      text = text.slice(newline + 1);
    }
    this.partial.set(partition, text);
  }

  /** Prints what is left of unfinished lines (at the end of a run). */
  flush(): void {
    for (const [partition, text] of this.partial) if (text.length > 0) this.line(partition, text);
    this.partial.clear();
  }

  private line(partition: string, text: string): void {
    this.write(this.prefixed ? `[${partition}] ${text}\n` : `${text}\n`);
  }
}
