/** A corpus case whose input is made when the test runs: too big or too binary to commit. */
export interface GeneratedCase {
  readonly name: string;
  readonly description: string;
  /** File name, extension included (it decides nothing: the CLI detects formats by content). */
  readonly file: string;
  make(): string | Uint8Array;
  /** Exit code, and the exact `error:` line or a pattern for what follows `error: `. */
  readonly expect: { readonly code: number; readonly stderr?: string | RegExp };
  /** More arguments for run (and, those check takes, for check). */
  readonly args?: readonly string[];
}
