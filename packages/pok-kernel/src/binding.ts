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
  PartitionBinding,
  PartitionMode,
  type PartitionInfo,
  type PartitionStatus,
  type PortDescriptor,
  type PortStatus,
  type Reply,
  type SamplingInfo,
  type ScheduleStatus,
  StartCondition,
  Status,
} from '@paravirt/paravirt-api';
import { POK_ACTIONS, POK_ERROR_KINDS, type PokAction, type PokErrorKind } from './errors.js';
import type { PokKernel } from './pokKernel.js';
import type { PokPartition } from './pokPartition.js';

export class PokBinding extends PartitionBinding<PokPartition> implements HypervisorBinding<PokPartition> {
  readonly hypervisorName = 'pok';
  readonly hypervisorVersion = '1.0';
  readonly features = ['vcpu', 'virq', 'timer', 'console', 'sampling', 'queuing', 'hm', 'slots', 'flush-major-frame'];

  constructor(protected override readonly kernel: PokKernel) {
    super(kernel);
  }

  protected mayInterrupt(caller: PokPartition, target: PokPartition): boolean {
    return caller.config.ipiTargets.includes(target.name);
  }

  partitionInfo(caller: PokPartition): Reply<PartitionInfo> {
    return {
      status: Status.OK,
      value: {
        partitionId: caller.id,
        name: caller.name,
        memoryBase: caller.context.virtualBase,
        memorySize: caller.context.size,
        kernelTickNs: this.kernel.config.kernelTick,
        periodNs: this.kernel.config.majorFrame,
        durationNs: caller.durationPerFrame,
        system: caller.config.system ? 1 : 0,
      },
    };
  }












  partitionStatus(caller: PokPartition): Reply<PartitionStatus> {
    return {
      status: Status.OK,
      value: {
        partitionId: caller.id,
        mode: caller.mode,
        startCondition: caller.startCondition,
        restarts: caller.restarts,
        periodNs: this.kernel.config.majorFrame,
        durationNs: caller.durationPerFrame,
      },
    };
  }

  /** POK has a single schedule. */
  scheduleStatus(): Reply<ScheduleStatus> {
    return { status: Status.OK, value: { currentSchedule: 0, nextSchedule: 0, lastSwitchNs: 0, majorFrameNs: this.kernel.config.majorFrame } };
  }


  portCreate(caller: PokPartition, descriptor: PortDescriptor): Reply<number> {
    const initialising = caller.mode === PartitionMode.COLD_START || caller.mode === PartitionMode.WARM_START;
    return this.kernel.ports.create(caller.index, initialising, descriptor);
  }

  portId(caller: PokPartition, name: string): Reply<number> {
    return this.kernel.ports.idOf(caller.index, name);
  }

  samplingWrite(caller: PokPartition, portId: number, message: Uint8Array): Reply {
    return this.kernel.ports.samplingWrite(caller.index, portId, message, this.now);
  }

  samplingRead(caller: PokPartition, portId: number, capacity: number): Reply<{ message: Uint8Array; info: SamplingInfo }> {
    return this.kernel.ports.samplingRead(caller.index, portId, capacity, this.now);
  }

  queuingSend(caller: PokPartition, portId: number, message: Uint8Array): Reply {
    return this.kernel.ports.queuingSend(caller.index, portId, message, this.now);
  }

  queuingReceive(caller: PokPartition, portId: number, capacity: number): Reply<Uint8Array> {
    return this.kernel.ports.queuingReceive(caller.index, portId, capacity);
  }

  portStatus(caller: PokPartition, portId: number): Reply<PortStatus> {
    return this.kernel.ports.status(caller.index, portId, this.now);
  }

  hmRaise(caller: PokPartition, error: ErrorCode, message: string): Reply {
    const kind = ERROR_CODE_NAMES[error] as PokErrorKind;
    if (kind === 'DEADLINE_MISSED') caller.deadlineMisses++;
    const stopped = this.kernel.declareError(caller, kind, message);
    return stopped ? { status: Status.OK, abandon: true } : { status: Status.OK };
  }

  hmStatus(caller: PokPartition): Reply<HmStatus> {
    const last = caller.hmEvents.at(-1);
    return {
      status: Status.OK,
      value: {
        events: caller.hmEvents.length,
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
      .flatMap((partition) => partition.hmEvents.map((event) => ({ partition, event })))
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

  setOtherPartitionMode(caller: PokPartition, partitionId: number, mode: PartitionMode): Reply {
    if (!caller.config.system) return { status: Status.PERMISSION };
    const target = this.kernel.partitions[partitionId];
    if (!target) return { status: Status.INVALID_PARAM };
    const reply = this.changeMode(target, mode);
    // Only the caller's own code must not resume after its own restart or stop.
    return target === caller ? reply : { status: reply.status };
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
