/**
 * The CLI's exit codes: a public contract (docs/architecture.md section 6), so a script
 * can tell a module that stopped from bad input, from a misbehaving user module, from a
 * bug in paravirt.
 */
export const EXIT = {
  /** The run reached its end (or stdout was closed early, as Unix tools do on EPIPE). */
  ok: 0,
  /** The module stopped: a module-level health-monitor action or a fatal halt. */
  moduleStopped: 1,
  /** Bad usage, an invalid configuration, or an output that cannot be written. */
  usage: 2,
  /** A user module misbehaved at the host level: would not load, hung, exceeded a host limit, killed its sandbox. */
  module: 3,
  /** A bug in paravirt (EX_SOFTWARE of sysexits.h): one line, details with --debug. */
  internal: 70,
  /** Interrupted by SIGINT (128 + 2), outputs of what ran written and marked interrupted. */
  sigint: 130,
  /** Terminated by SIGTERM (128 + 15), likewise. */
  sigterm: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A failure the CLI reports as one line `error: <where>: <what>` and an exit code. Every
 * layer of the runner throws its own subclass (UsageError, CompositionError,
 * ApplicationError); the CLI prints any of them the same way.
 */
export class CliFailure extends Error {
  constructor(
    readonly where: string,
    readonly what: string,
    readonly code: ExitCode = EXIT.usage,
  ) {
    super(`${where}: ${what}`);
    this.name = 'CliFailure';
  }
}
