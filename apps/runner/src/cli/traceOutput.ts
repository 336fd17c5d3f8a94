/**
 * `--trace FILE|-` for the CLI: the spool the trace's body goes to during the run
 * (output/traceFile.ts), the file written at the end, and the line that says where it is.
 */
import { type TraceEnd, gatheringWriter, memorySpool, type OutputWriter, type Spool, TraceFile, printable, CliFailure } from '@paravirt/compose';
import { errnoText } from './configFile.js';

/** What the trace needs of the CLI's I/O (main.ts CliIo). */
interface TraceIo {
  readonly spool?: (near: string) => Spool;
  readonly openOutput?: (path: string) => Promise<OutputWriter>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
}

/** The spool for `--trace target`, before the run (a folder where no temporary file can be made fails now, exit 2). */
export function openTraceFile(target: string, io: TraceIo): TraceFile {
  try {
    return new TraceFile(io.spool ? io.spool(target) : memorySpool());
  } catch (error) {
    throw new CliFailure('--trace', `cannot write ${target} (a temporary file next to it: ${errnoText(error)})`);
  }
}

/** The run's failure when the spool could not take the trace (a full disk). */
export function traceSpoolFailure(file: TraceFile, target: string): CliFailure | undefined {
  if (file.error === undefined) return undefined;
  return new CliFailure('--trace', `cannot write ${target} (${errnoText(file.error)})`);
}

/** Writes the trace to `target` (`-`: `stdout`). */
export async function writeTraceFile(file: TraceFile, end: TraceEnd, target: string, io: TraceIo, stdout: (text: string) => void): Promise<void> {
  try {
    const out = io.openOutput ? await io.openOutput(target) : gatheringWriter((text) => (target === '-' ? stdout(text) : io.writeFile(target, text)));
    await file.writeTo(end, out);
  } catch (error) {
    throw new CliFailure('--trace', `cannot write ${target} (${errnoText(error)})`);
  }
}

const SIZE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

function size(bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${SIZE_UNITS[unit]!}`;
}

/** The line after a run that wrote a trace file: where, how big, how to open it. */
export function traceNotice(target: string, end: TraceEnd, file: TraceFile): string {
  const bytes = file.size + new TextEncoder().encode(end.head + end.tail).length + end.fills.reduce((sum, [, text]) => sum + new TextEncoder().encode(text).length, 0);
  return `trace: ${printable(target, 200)}: ${end.events.toLocaleString('en-US')} events, ${size(bytes)}; open it in https://ui.perfetto.dev or chrome://tracing\n`;
}
