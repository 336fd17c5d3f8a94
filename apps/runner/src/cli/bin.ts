/**
 * The `paravirt` executable (bin/paravirt.js runs the built copy of this file). Wires
 * main() to the real process: the sandbox next to this file (dist/sandbox/child.js), and
 * a last line of defence that turns anything escaping main() into one error line and exit
 * 70 instead of a stack trace.
 */
import { EXIT } from '@paravirt/compose';
import { main } from './main.js';
import { nodeIo } from './nodeIo.js';
import { sandboxLauncher } from '../sandbox/host.js';
import { nodeSweepHost } from '../sweep/nodeHost.js';

const debug = process.argv.includes('--debug');

function internal(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: internal: ${message.split('\n')[0] ?? ''} (a bug in paravirt: please report it${debug ? '' : '; --debug shows the stack trace'})\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(EXIT.internal);
}

process.on('uncaughtException', internal);
process.on('unhandledRejection', internal);

const code = await main(process.argv.slice(2), nodeIo({ sandbox: sandboxLauncher(new URL('../sandbox/child.js', import.meta.url)), sweep: nodeSweepHost(new URL('../sweep/worker.js', import.meta.url)) }));
// Let a failed write to stdout (a full disk, a closed pipe) report itself before exiting:
// its error event comes after the write, and nodeIo decides the exit code then.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise((resolve) => setImmediate(resolve));
process.exit(code);
