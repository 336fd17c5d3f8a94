/**
 * The runner's version, for `paravirt --version`: the `version` of apps/runner/package.json,
 * inlined by the bundlers (tsup for dist/, esbuild for the tests' bundle), so the CLI never
 * reads a file at run time to know it.
 */
import runnerPackage from '../../package.json' with { type: 'json' };

export const RUNNER_VERSION: string = runnerPackage.version;
