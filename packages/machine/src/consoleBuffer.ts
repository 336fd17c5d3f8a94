/**
 * A console's kept output: bytes appended in chunks up to a cap, then counted but not
 * kept. A guest that prints forever (a hostile partition, a runaway loop) must not be able
 * to exhaust the host's memory; what was dropped is reported, never silent. Streaming
 * listeners (the runner's live console) still see every byte.
 */
export const DEFAULT_CONSOLE_CAPACITY = 1 << 20;

export class ConsoleBuffer {
  private readonly chunks: Uint8Array[] = [];
  private kept = 0;
  /** Bytes written after the buffer was full. */
  dropped = 0;

  constructor(readonly capacity: number = DEFAULT_CONSOLE_CAPACITY) {}

  get length(): number {
    return this.kept;
  }

  append(bytes: Uint8Array): void {
    const room = this.capacity - this.kept;
    if (room <= 0) {
      this.dropped += bytes.length;
      return;
    }
    const piece = bytes.length <= room ? bytes.slice() : bytes.slice(0, room);
    this.chunks.push(piece);
    this.kept += piece.length;
    this.dropped += bytes.length - piece.length;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.kept);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  /** The kept output as Latin-1 text (one char per byte), with a note if output was dropped. */
  text(): string {
    let out = '';
    for (const chunk of this.chunks) for (let i = 0; i < chunk.length; i += 8192) out += String.fromCharCode(...chunk.subarray(i, i + 8192));
    return this.dropped > 0 ? `${out}\n[console truncated: ${this.dropped} more bytes not kept]\n` : out;
  }

  clear(): void {
    this.chunks.length = 0;
    this.kept = 0;
    this.dropped = 0;
  }
}
