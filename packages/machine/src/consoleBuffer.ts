/**
 * A console's kept output: bytes appended in chunks up to a cap, then counted but not
 * kept. A guest that prints forever (a hostile partition, a runaway loop) must not be able
 * to exhaust the host's memory; what was dropped is reported, never silent. Streaming
 * listeners (the runner's live console) still see every byte.
 */
export const DEFAULT_CONSOLE_CAPACITY = 1 << 20;

/** Bytes per block: appends are packed into blocks, so a byte-at-a-time writer (a UART) costs one byte per byte. */
const BLOCK = 64 * 1024;

export class ConsoleBuffer {
  /** Full blocks, then the block being filled (its first `fill` bytes are used). */
  private readonly blocks: Uint8Array[] = [];
  private fill = 0;
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
    const taken = Math.min(bytes.length, room);
    for (let offset = 0; offset < taken; ) {
      let block = this.blocks[this.blocks.length - 1];
      if (block === undefined || this.fill === block.length) {
        block = new Uint8Array(Math.min(BLOCK, Math.max(1, this.capacity - this.kept)));
        this.blocks.push(block);
        this.fill = 0;
      }
      const count = Math.min(taken - offset, block.length - this.fill);
      if (count === 1) block[this.fill] = bytes[offset]!;
      else block.set(bytes.subarray(offset, offset + count), this.fill);
      this.fill += count;
      this.kept += count;
      offset += count;
    }
    this.dropped += bytes.length - taken;
  }

  /** The kept bytes, block by block (the last one only as far as it is filled). */
  private *pieces(): Generator<Uint8Array> {
    const last = this.blocks.length - 1;
    for (let i = 0; i <= last; i++) yield i === last ? this.blocks[i]!.subarray(0, this.fill) : this.blocks[i]!;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.kept);
    let offset = 0;
    for (const piece of this.pieces()) {
      out.set(piece, offset);
      offset += piece.length;
    }
    return out;
  }

  /** The kept output as Latin-1 text (one char per byte), with a note if output was dropped. */
  text(): string {
    let out = '';
    for (const piece of this.pieces()) for (let i = 0; i < piece.length; i += 8192) out += String.fromCharCode(...piece.subarray(i, i + 8192));
    return this.dropped > 0 ? `${out}\n[console truncated: ${this.dropped} more bytes not kept]\n` : out;
  }

  clear(): void {
    this.blocks.length = 0;
    this.fill = 0;
    this.kept = 0;
    this.dropped = 0;
  }
}
