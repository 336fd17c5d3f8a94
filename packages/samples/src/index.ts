/**
 * @paravirt/samples: guest applications for the executive (cpukit), reproducing RTEMS's
 * sample programs and their screens, plus demos of this project's own, and raw
 * partition programs (no RTEMS: `hostile`).
 */
import type { Application } from '@paravirt/cpukit';
import { barrier } from './barrier.js';
import { base_sp } from './baseSp.js';
import { consumer } from './consumer.js';
import { edf } from './edf.js';
import { fpu } from './fpu.js';
import { hello } from './hello.js';
import { idle } from './idle.js';
import { modeswitch } from './modeswitch.js';
import { partitions } from './partitions.js';
import { periodic } from './periodic.js';
import { hostile } from './hostile.js';
import { producer } from './producer.js';
import type { RawApplication } from './rawApplication.js';
import { regions } from './regions.js';
import { sensor } from './sensor.js';
import { signals } from './signals.js';
import { ticker } from './ticker.js';

export { base_sp, hello, idle, periodic, ticker };
export { producer, consumer, modeswitch, sensor };
export { regions, barrier, partitions, signals, fpu, edf };
export { hostile, HostileProgram, type HostileCounters } from './hostile.js';
export { isRawApplication, type RawApplication, type RawMachine, type RawProgram } from './rawApplication.js';
export { compareScreens, type ScreenDifference } from './compareScreens.js';

/** A built-in sample: an application on the executive, or a raw partition program. */
export type Sample = Application | RawApplication;

/** Every built-in sample by name. */
export const samples: Readonly<Record<string, Sample>> = Object.freeze({ hello, ticker, base_sp, periodic, idle, producer, consumer, modeswitch, sensor, regions, barrier, partitions, signals, fpu, edf, hostile });

/** The built-in samples in a stable order (for `paravirt samples`). */
export function listSamples(): readonly Sample[] {
  return Object.values(samples);
}
