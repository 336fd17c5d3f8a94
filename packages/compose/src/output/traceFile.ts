/**
 * The trace file as the run goes (`--trace FILE`): the body of the streamed trace
 * (chromeTraceStream.ts) goes into a spool - a temporary file next to FILE that is gone
 * once closed, or memory - as it comes; at the end the file is written in one pass: the
 * head (the events at time 0, known only then), the spooled body with its holes filled,
 * the tail. Memory stays flat however long the run; FILE is created or truncated only at
 * the end, as every other output.
 */
import type { TraceEnd, TraceText } from './chromeTraceStream.js';

/**
 * Where the trace body waits during the run. A file spool writes in the background (the
 * run goes on meanwhile); whoever appends waits on drain() when too much is unwritten.
 */
export interface Spool {
  /** Appends bytes (used during the call only; written now or later). */
  append(bytes: Uint8Array): void;
  /** Bytes appended so far. */
  readonly size: number;
  /** Bytes appended and not yet written. */
  readonly unwritten: number;
  /** Why a write failed (a full disk); nothing more is written then. */
  readonly error: unknown;
  /** Resolves once everything appended is written (or a write failed: see `error`). */
  drain(): Promise<void>;
  /** Up to `length` bytes from `position` (fewer only at the end), once drained. */
  read(position: number, length: number): Uint8Array;
  /** Frees it (a file spool's file is gone). */
  close(): void;
}

/** An output written in chunks (the trace); `close` finishes it. */
export interface OutputWriter {
  write(chunk: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** A spool in memory (tests, hosts without files). */
export function memorySpool(): Spool {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let joined: Uint8Array | undefined;
  return {
    append(bytes) {
      chunks.push(bytes.slice());
      size += bytes.length;
      joined = undefined;
    },
    get size() {
      return size;
    },
    unwritten: 0,
    error: undefined,
    drain: async () => {},
    read(position, length) {
      if (!joined) {
        joined = new Uint8Array(size);
        let offset = 0;
        for (const chunk of chunks) {
          joined.set(chunk, offset);
          offset += chunk.length;
        }
        chunks.splice(0, chunks.length, joined);
      }
      return joined.subarray(position, Math.min(size, position + length));
    },
    close() {
      chunks.length = 0;
      joined = undefined;
    },
  };
}

/** Bytes copied from the spool at a time. */
const COPY_CHUNK = 1 << 20;

/** Bytes of trace body that may wait unwritten before the run waits for the disk. */
const UNWRITTEN_LIMIT = 8 << 20;

/** The streamed trace's text into a spool, then into the file. */
export class TraceFile implements TraceText {
  private readonly holes: Array<{ readonly id: number; readonly offset: number }> = [];

  constructor(private readonly spool: Spool) {}

  /** Why the spool could not take more (the run then fails with it). */
  get error(): unknown {
    return this.spool.error;
  }

  body(bytes: Uint8Array): void {
    if (this.spool.error === undefined) this.spool.append(bytes);
  }

  hole(id: number): void {
    this.holes.push({ id, offset: this.spool.size });
  }

  /** Bytes of body spooled so far. */
  get size(): number {
    return this.spool.size;
  }

  /** Whether the body waiting to be written is past UNWRITTEN_LIMIT: the run should wait for settle(). */
  get behind(): boolean {
    return this.spool.unwritten > UNWRITTEN_LIMIT;
  }

  /** Resolves once what was spooled is written (or could not be: `error`). */
  settle(): Promise<void> {
    return this.spool.drain();
  }

  /** Writes the whole file to `out` (head, body with holes filled, tail) and closes it. */
  async writeTo(end: TraceEnd, out: OutputWriter): Promise<void> {
    await this.spool.drain();
    if (this.spool.error !== undefined) throw this.spool.error instanceof Error ? this.spool.error : new Error('cannot write the trace spool');
    const fills = new Map(end.fills);
    await out.write(end.head);
    let position = 0;
    const copyTo = async (until: number): Promise<void> => {
      while (position < until) {
        const bytes = this.spool.read(position, Math.min(COPY_CHUNK, until - position));
        if (bytes.length === 0) throw new Error('the trace spool ended early');
        await out.write(bytes);
        position += bytes.length;
      }
    };
    for (const { id, offset } of this.holes) {
      await copyTo(offset);
      const fill = fills.get(id);
      if (fill) await out.write(fill);
    }
    await copyTo(this.spool.size);
    await out.write(end.tail);
    await out.close();
  }

  close(): void {
    this.spool.close();
  }
}

/** An OutputWriter that gathers the text and hands it on whole (hosts that write outputs in one piece). */
export function gatheringWriter(done: (text: string) => Promise<void> | void): OutputWriter {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  return {
    write: async (chunk) => {
      chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk.slice());
    },
    close: async () => {
      const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      const all = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        all.set(chunk, offset);
        offset += chunk.length;
      }
      await done(new TextDecoder().decode(all));
    },
  };
}
