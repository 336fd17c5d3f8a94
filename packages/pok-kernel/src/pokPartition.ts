/**
 * A partition of the POK-style kernel: the shared guest-hosting runtime plus what POK
 * keeps per partition (its configuration, error history, deadline misses).
 */
import type { Nanoseconds } from '@paravirt/machine';
import { PartitionRuntime, type PartitionRuntimeOptions } from '@paravirt/paravirt-api';
import type { PokPartitionConfig } from './config.js';
import type { PokAction, PokErrorKind } from './errors.js';

export interface HmEventRecord {
  readonly timeNs: Nanoseconds;
  readonly error: PokErrorKind;
  readonly level: 'partition';
  readonly action: PokAction;
  readonly detail: string;
}

export class PokPartition extends PartitionRuntime {
  readonly hmEvents: HmEventRecord[] = [];
  deadlineMisses = 0;
  /** Sum of this partition's slot durations in one major frame. */
  readonly durationPerFrame: Nanoseconds;

  constructor(
    options: PartitionRuntimeOptions,
    readonly config: PokPartitionConfig,
    readonly index: number,
    durationPerFrame: Nanoseconds,
  ) {
    super(options);
    this.durationPerFrame = durationPerFrame;
  }
}
