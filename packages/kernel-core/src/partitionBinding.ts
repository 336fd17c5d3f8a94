/**
 * The part of the paravirt-api binding that is the same for every kernel: the virtual CPU,
 * virtual interrupts, time, idle, console, partition info and status, ARINC 653
 * SET_PARTITION_MODE transitions (own and other partitions), port calls and the handling
 * of rejected calls, all on the shared PartitionRuntime / PartitionKernel. A kernel's
 * binding extends this and adds what is its own (its timing and permissions, schedule
 * status, health monitor, module control) - a few dozen lines of translation.
 */
import {
  type BadHypercallReport,
  type HypervisorBinding,
  type PartitionInfo,
  PartitionMode,
  type PartitionStatus,
  type PortDescriptor,
  type PortStatus,
  type Reply,
  type SamplingInfo,
  StartCondition,
  Status,
  VirtualLine,
} from '@paravirt/paravirt-api';
import type { PartitionKernel } from './partitionKernel.js';
import type { PartitionRuntime } from './partitionRuntime.js';
import type { PortService } from './portTable.js';

const OK: Reply = { status: Status.OK };

type Common =
  | 'vcpuRegister'
  | 'virqSetUpcall'
  | 'virqReturn'
  | 'virqSetMasked'
  | 'virqAck'
  | 'virqDeliverPending'
  | 'virqSend'
  | 'timeGet'
  | 'timerSet'
  | 'timerCancel'
  | 'idle'
  | 'consoleWrite'
  | 'setPartitionMode'
  | 'badHypercall'
  | 'portCreate'
  | 'portId'
  | 'samplingWrite'
  | 'samplingRead'
  | 'queuingSend'
  | 'queuingReceive'
  | 'portStatus'
  | 'partitionInfo'
  | 'partitionStatus'
  | 'setOtherPartitionMode';

export abstract class PartitionBinding<P extends PartitionRuntime> implements Pick<HypervisorBinding<P>, Common> {
  constructor(protected readonly kernel: PartitionKernel<P>) {}

  /**
   * The kernel's clock (PartitionKernel.kernelTime: ticks x nominal tick, plus the time
   * since the last tick): what the guest sees of time - timers, port ages and validity,
   * TIME_GET - as POK's GETTICK and AIR's elapsed ticks are kernel ticks, not the board's
   * real time.
   */
  protected get now(): number {
    return this.kernel.kernelTime();
  }

  /** Whether `caller` may raise an inter-partition virtual interrupt on `target`. */
  protected abstract mayInterrupt(caller: P, target: P): boolean;

  /** The kernel's ports (its own transfer semantics behind the shared creation rules). */
  protected abstract readonly ports: PortService;

  /** The caller's time partitioning: its period and its window time per period. */
  protected abstract timing(caller: P): { readonly periodNs: number; readonly durationNs: number };

  /** Whether `caller` is a system partition (INFO_PARTITION's `system`). */
  protected abstract isSystem(caller: P): boolean;

  /** Whether `caller` may set another partition's mode (POK: a system partition; AIR: SET_PARTITION_MODE). None by default. */
  protected mayControlPartitions(_caller: P): boolean {
    return false;
  }

  /** INFO_PARTITION: who the caller is, its memory and its share of the schedule. */
  partitionInfo(caller: P): Reply<PartitionInfo> {
    const { periodNs, durationNs } = this.timing(caller);
    return {
      status: Status.OK,
      value: {
        partitionId: caller.id,
        name: caller.name,
        memoryBase: caller.context.virtualBase,
        memorySize: caller.context.size,
        kernelTickNs: this.kernel.kernelTick,
        periodNs,
        durationNs,
        system: this.isSystem(caller) ? 1 : 0,
      },
    };
  }

  /** PARTITION_STATUS (ARINC GET_PARTITION_STATUS) of the caller. */
  partitionStatus(caller: P): Reply<PartitionStatus> {
    const { periodNs, durationNs } = this.timing(caller);
    return {
      status: Status.OK,
      value: { partitionId: caller.id, mode: caller.mode, startCondition: caller.startCondition, restarts: caller.restarts, periodNs, durationNs },
    };
  }

  /** SET_OTHER_PARTITION_MODE: another partition's ARINC mode, for callers allowed to. */
  setOtherPartitionMode(caller: P, partitionId: number, mode: PartitionMode): Reply {
    if (!this.mayControlPartitions(caller)) return { status: Status.PERMISSION };
    const target = this.kernel.partitionById(partitionId);
    if (!target) return { status: Status.INVALID_PARAM };
    const reply = this.changeMode(target, mode);
    // Only the caller's own code must not resume after its own restart or stop.
    return target === caller ? reply : { status: reply.status };
  }

  private index(caller: P): number {
    return this.kernel.partitions.indexOf(caller);
  }

  portCreate(caller: P, descriptor: PortDescriptor): Reply<number> {
    const initialising = caller.mode === PartitionMode.COLD_START || caller.mode === PartitionMode.WARM_START;
    return this.ports.create(this.index(caller), initialising, descriptor);
  }

  portId(caller: P, name: string): Reply<number> {
    return this.ports.idOf(this.index(caller), name);
  }

  samplingWrite(caller: P, portId: number, message: Uint8Array): Reply {
    return this.ports.samplingWrite(this.index(caller), portId, message, this.now);
  }

  samplingRead(caller: P, portId: number, capacity: number): Reply<{ message: Uint8Array; info: SamplingInfo }> {
    return this.ports.samplingRead(this.index(caller), portId, capacity, this.now);
  }

  queuingSend(caller: P, portId: number, message: Uint8Array): Reply {
    return this.ports.queuingSend(this.index(caller), portId, message, this.now);
  }

  queuingReceive(caller: P, portId: number, capacity: number): Reply<Uint8Array> {
    return this.ports.queuingReceive(this.index(caller), portId, capacity);
  }

  portStatus(caller: P, portId: number): Reply<PortStatus> {
    return this.ports.status(this.index(caller), portId, this.now);
  }

  vcpuRegister(caller: P, pageAddress: number): Reply {
    caller.interrupts.registerPage(pageAddress);
    return OK;
  }

  virqSetUpcall(caller: P, entryAddress: number): Reply {
    caller.interrupts.setUpcall(entryAddress);
    return OK;
  }

  virqReturn(caller: P): Reply {
    return { status: caller.interrupts.upcallReturn() as Status };
  }

  virqSetMasked(caller: P, line: number, masked: boolean): Reply {
    caller.interrupts.setMasked(line, masked);
    return OK;
  }

  /** End of interrupt for a routed hardware line (edge-triggered devices need nothing more). */
  virqAck(caller: P, line: number): Reply {
    return { status: this.kernel.isRouted(line - VirtualLine.HW_BASE, caller) ? Status.OK : Status.INVALID_PARAM };
  }

  /** The kernel delivers on its way out of every entry; this reports whether there is work. */
  virqDeliverPending(caller: P): Reply {
    return { status: caller.interrupts.deliverableLine() >= 0 ? Status.OK : Status.NO_ACTION };
  }

  virqSend(caller: P, partitionId: number, ipi: number): Reply {
    const target = this.kernel.partitionById(partitionId);
    if (!target) return { status: Status.INVALID_PARAM };
    if (!this.mayInterrupt(caller, target)) return { status: Status.PERMISSION };
    // Counted as the target's raise even if it is stopped (then discarded there, and counted).
    target.raiseInterrupt(VirtualLine.IPI_BASE + ipi);
    return OK;
  }

  /**
   * Clock 0: system time, the kernel's clock (POK's GETTICK, AIR's elapsed ticks, in ns;
   * kernelTime at the processor's local time); clock 1: the caller's execution time, as
   * measured (real time in its windows, less its idle time).
   */
  timeGet(caller: P, clock: number): Reply<number> {
    const processor = this.kernel.platform.processor;
    const value = clock === 0 ? this.kernel.kernelTime(processor.localTime()) : this.kernel.executionTime(caller);
    return { status: Status.OK, value };
  }

  timerSet(caller: P, firstNs: number, periodNs: number): Reply {
    caller.timer.set(this.now, firstNs, periodNs);
    return OK;
  }

  timerCancel(caller: P): Reply {
    caller.timer.cancel();
    return OK;
  }

  idle(caller: P): Reply {
    caller.declareIdle();
    return OK;
  }

  consoleWrite(caller: P, bytes: Uint8Array): Reply {
    this.kernel.console(caller, bytes);
    return OK;
  }

  setPartitionMode(caller: P, mode: PartitionMode): Reply {
    return this.changeMode(caller, mode);
  }

  /** Unknown numbers and bad pointers go to the health monitor; a bad value only gets its status. */
  badHypercall(caller: P, report: BadHypercallReport): Reply {
    if (report.kind === 'invalid-param') return OK;
    const stopped = this.kernel.raiseError(caller, undefined, report.kind, `${report.name}: ${report.detail}`);
    return stopped ? { status: Status.OK, abandon: true } : OK;
  }

  /** ARINC 653 SET_PARTITION_MODE transitions (Part 1, partition management). */
  protected changeMode(partition: P, mode: PartitionMode): Reply {
    switch (mode) {
      case PartitionMode.IDLE:
        this.kernel.stopPartition(partition);
        return { status: Status.OK, abandon: true };
      case PartitionMode.NORMAL:
        if (partition.mode === PartitionMode.NORMAL) return { status: Status.NO_ACTION };
        if (!partition.running) return { status: Status.INVALID_MODE };
        partition.mode = PartitionMode.NORMAL;
        return OK;
      case PartitionMode.COLD_START:
      case PartitionMode.WARM_START:
        // WARM_START from COLD_START is not allowed.
        if (mode === PartitionMode.WARM_START && partition.mode === PartitionMode.COLD_START) return { status: Status.INVALID_MODE };
        this.kernel.restartPartition(partition, mode === PartitionMode.COLD_START ? 'cold' : 'warm', StartCondition.PARTITION_RESTART);
        return { status: Status.OK, abandon: true };
    }
  }
}
