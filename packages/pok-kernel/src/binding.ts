/**
 * The paravirt-api binding of the POK-style kernel: it only translates API calls into the
 * kernel's services (STYLE.md: thin bindings). Arguments arrive validated by the shared
 * HypercallDispatcher. Where POK has the service, the POK system call it corresponds to is
 * named (libpok/include/core/syscall.h numbering in POK: POK_SYSCALL_CONSWRITE,
 * POK_SYSCALL_GETTICK, POK_SYSCALL_PARTITION_SET_MODE, POK_SYSCALL_MIDDLEWARE_*).
 */
import {
  ERROR_CODE_NAMES,
  type ErrorCode,
  type HmLogEntry,
  type HmStatus,
  type HypervisorBinding,
  ModuleAction,
  type Reply,
  type ScheduleStatus,
  StartCondition,
  Status,
} from '@paravirt/paravirt-api';
import { PartitionBinding, type PortService } from '@paravirt/kernel-core';
import { POK_ACTIONS, POK_ERROR_KINDS, type PokAction, type PokErrorKind } from './errors.js';
import type { PokKernel } from './pokKernel.js';
import type { PokPartition } from './pokPartition.js';

export class PokBinding extends PartitionBinding<PokPartition> implements HypervisorBinding<PokPartition> {
  readonly hypervisorName = 'pok';
  readonly hypervisorVersion = '1.0';
  readonly features = ['vcpu', 'virq', 'timer', 'console', 'sampling', 'queuing', 'hm', 'slots', 'flush-major-frame'];

  protected readonly ports: PortService;

  constructor(protected override readonly kernel: PokKernel) {
    super(kernel);
    this.ports = kernel.ports;
  }

  protected mayInterrupt(caller: PokPartition, target: PokPartition): boolean {
    return caller.config.ipiTargets.includes(target.name);
  }

  /** A slot schedule: the major frame, and the caller's slots in it. */
  protected timing(caller: PokPartition): { periodNs: number; durationNs: number } {
    return { periodNs: this.kernel.config.majorFrame, durationNs: caller.durationPerFrame };
  }

  protected isSystem(caller: PokPartition): boolean {
    return caller.config.system;
  }

  /** POK has no per-service permissions: a system partition may control the others. */
  protected override mayControlPartitions(caller: PokPartition): boolean {
    return caller.config.system;
  }

  /** POK has a single schedule. */
  scheduleStatus(): Reply<ScheduleStatus> {
    return { status: Status.OK, value: { currentSchedule: 0, nextSchedule: 0, lastSwitchNs: 0, majorFrameNs: this.kernel.config.majorFrame } };
  }

  hmRaise(caller: PokPartition, error: ErrorCode, message: string): Reply {
    const kind = ERROR_CODE_NAMES[error] as PokErrorKind;
    if (kind === 'DEADLINE_MISSED') caller.deadlineMisses++;
    const stopped = this.kernel.declareError(caller, kind, message);
    return stopped ? { status: Status.OK, abandon: true } : { status: Status.OK };
  }

  hmStatus(caller: PokPartition): Reply<HmStatus> {
    const last = caller.hmEvents.last();
    return {
      status: Status.OK,
      value: {
        events: caller.hmEvents.total,
        lastError: last ? POK_ERROR_KINDS.indexOf(last.error as PokErrorKind) : 0xffffffff,
        lastAction: last ? POK_ACTIONS.indexOf(last.action as PokAction) : 0,
        lastEventNs: last?.timeNs ?? 0,
      },
    };
  }

  /** The module's error log, all partitions in time order; system partitions only. */
  hmLogRead(caller: PokPartition, index: number): Reply<HmLogEntry> {
    if (!caller.config.system) return { status: Status.PERMISSION };
    const log = this.kernel.partitions
      .flatMap((partition) => partition.hmEvents.entries().map((event) => ({ partition, event })))
      .sort((a, b) => a.event.timeNs - b.event.timeNs || a.partition.index - b.partition.index);
    const entry = log[index];
    if (!entry) return { status: Status.INVALID_PARAM };
    return {
      status: Status.OK,
      value: {
        timeNs: entry.event.timeNs,
        partitionId: entry.partition.id,
        error: POK_ERROR_KINDS.indexOf(entry.event.error as PokErrorKind),
        level: 0,
        action: POK_ACTIONS.indexOf(entry.event.action as PokAction),
        detail: entry.event.detail.slice(0, 63),
      },
    };
  }

  setModuleSchedule(_caller: PokPartition, scheduleId: number): Reply {
    return { status: scheduleId === 0 ? Status.NO_ACTION : Status.INVALID_CONFIG };
  }

  moduleControl(caller: PokPartition, action: ModuleAction): Reply {
    if (!caller.config.system) return { status: Status.PERMISSION };
    if (action === ModuleAction.SHUTDOWN) {
      this.kernel.shutdown('module shutdown requested by partition ' + caller.name);
    } else {
      for (const partition of this.kernel.partitions) this.kernel.restartPartition(partition, 'cold', StartCondition.HM_MODULE_RESTART);
    }
    return { status: Status.OK, abandon: true };
  }
}
