/**
 * A partition of the POK-style kernel: the shared guest-hosting runtime plus its POK
 * configuration.
 */
import type { Nanoseconds } from '@paravirt/machine';
import { PartitionRuntime, type PartitionRuntimeOptions } from '@paravirt/kernel-core';
import type { PokPartitionConfig } from './config.js';

export class PokPartition extends PartitionRuntime {
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
