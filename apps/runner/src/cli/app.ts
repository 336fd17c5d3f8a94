/**
 * The `paravirt` executable's body: main() wired to the real process - the sandbox and the
 * sweep workers at the URLs the loader (bin.ts) gives, and a last line of defence that turns
 * anything escaping main() into one error line and exit 70 instead of a stack trace. Built as
 * CommonJS (cli/app.cjs) so bin.ts can start it from V8's code cache.
 */
import { EXIT } from '@paravirt/compose';
import { main } from './main.js';
import { nodeIo, stdoutFlushed } from './nodeIo.js';
import { sandboxLauncher } from '../sandbox/host.js';
import { nodeSweepHost } from '../sweep/nodeHost.js';

export interface AppLocations {
  /** sandbox/child.js and sweep/worker.js of the same build. */
  readonly sandboxChild: URL;
  readonly sweepWorker: URL;
  /** Called once before a normal exit (the loader saves its code cache then). */
  readonly beforeExit?: () => void;
}

export async function run(locations: AppLocations): Promise<never> {
  const debug = process.argv.includes('--debug');
  const internal = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: internal: ${message.split('\n')[0] ?? ''} (a bug in paravirt: please report it${debug ? '' : '; --debug shows the stack trace'})\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(EXIT.internal);
  };
  process.on('uncaughtException', internal);
  process.on('unhandledRejection', internal);

  const code = await main(process.argv.slice(2), nodeIo({ sandbox: sandboxLauncher(locations.sandboxChild), sweep: nodeSweepHost(locations.sweepWorker) }));
  // Let a failed write to stdout (a full disk, a closed pipe) report itself before exiting:
  // its error event comes after the write, and nodeIo decides the exit code then.
  await stdoutFlushed();
  await new Promise((resolve) => setImmediate(resolve));
  locations.beforeExit?.();
  process.exit(code);
}
