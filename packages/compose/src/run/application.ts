/** What a partition runs: an RTEMS application on the executive, or a raw program. */
import type { Application } from '@paravirt/cpukit';
import type { RawApplication } from '@paravirt/samples';

export type GuestApplication = Application | RawApplication;
