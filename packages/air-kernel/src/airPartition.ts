/**
 * A partition of the AIR-style kernel: the shared guest-hosting runtime plus its AIR
 * configuration and its effective permission bits (AIR recomputes SET_SCHEDULE whenever
 * a schedule becomes current, so the bits are state, not configuration).
 */
import { PartitionRuntime, type PartitionRuntimeOptions } from '@paravirt/kernel-core';
import { type AirPartitionConfig, type AirPermission, PERMISSION_BITS, permissionMask } from './config.js';

export class AirPartition extends PartitionRuntime {
  /** AIR permission bits in force now. */
  permissions: number;

  constructor(
    options: PartitionRuntimeOptions,
    readonly config: AirPartitionConfig,
    /** Position in the configuration (ports and tables are indexed by it; `id` is the PartitionIdentifier). */
    readonly index: number,
  ) {
    super(options);
    this.permissions = permissionMask(config.permissions);
  }

  /** True if the partition holds `permission` now (SUPERVISOR: all of them). */
  has(permission: AirPermission): boolean {
    const bits = PERMISSION_BITS[permission];
    return (this.permissions & bits) === bits;
  }
}
