/**
 * @paravirt/samples: guest applications for the executive (cpukit), reproducing RTEMS's
 * sample programs and their screens, plus demos of this project's own.
 */
import type { Application } from '@paravirt/cpukit';
import { base_sp } from './baseSp.js';
import { hello } from './hello.js';
import { idle } from './idle.js';
import { periodic } from './periodic.js';
import { ticker } from './ticker.js';

export { base_sp, hello, idle, periodic, ticker };
export { compareScreens, type ScreenDifference } from './compareScreens.js';

/** Every built-in sample by name. */
export const samples: Readonly<Record<string, Application>> = Object.freeze({ hello, ticker, base_sp, periodic, idle });

/** The built-in samples in a stable order (for `paravirt samples`). */
export function listSamples(): readonly Application[] {
  return Object.values(samples);
}
