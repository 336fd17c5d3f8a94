/**
 * The paravirt-api binding of the AIR-style kernel: it only translates API calls into the
 * kernel's services (STYLE.md: thin bindings), checking AIR's permissions on every control
 * call. Arguments arrive validated by the shared HypercallDispatcher. Where AIR has the
 * service, the AIR system call it corresponds to is named (air.h: air_syscall_*).
 *
 * Permissions (air.h air_permissions_e): SET_MODULE_SCHEDULE needs SET_SCHEDULE,
 * SET_OTHER_PARTITION_MODE needs SET_PARTITION_MODE, MODULE_CONTROL needs MODULE_CONTROL,
 * HM_LOG_READ needs SUPERVISOR (every permission). A refused call returns PERMISSION (AIR
 * itself answers INVALID_CONFIG; the API has a code for it).
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
import type { AirKernel } from './airKernel.js';
import type { AirPartition } from './airPartition.js';
import { type ArincErrorName, HM_ACTION_NUMBERS, HM_LEVEL_NUMBERS, type HmAction } from './hm.js';

const OK: Reply = { status: Status.OK };

export class AirBinding extends PartitionBinding<AirPartition> implements HypervisorBinding<AirPartition> {
  readonly hypervisorName = 'air';
  readonly hypervisorVersion = '1.0';
  readonly features = ['vcpu', 'virq', 'timer', 'console', 'sampling', 'queuing', 'immediate-ports', 'hm-tables', 'module-schedules', 'permissions'];

  protected readonly ports: PortService;

  constructor(protected override readonly kernel: AirKernel) {
    super(kernel);
    this.ports = kernel.ports;
  }

  protected mayInterrupt(caller: AirPartition, target: AirPartition): boolean {
    return caller.config.ipiTargets.includes(target.name);
  }

  /** The partition's Partition_Schedule entry in the schedule in force: period and period duration. */
  protected timing(caller: AirPartition): { periodNs: number; durationNs: number } {
    const entry = this.kernel.scheduleEntry(caller);
    return { periodNs: entry?.period ?? 0, durationNs: entry?.periodDuration ?? 0 };
  }

  protected isSystem(caller: AirPartition): boolean {
    return caller.config.system;
  }

  /** air_syscall_set_partition_mode on another partition needs SET_PARTITION_MODE. */
  protected override mayControlPartitions(caller: AirPartition): boolean {
    return caller.has('SET_PARTITION_MODE');
  }

  /** air_syscall_get_schedule_status. */
  scheduleStatus(): Reply<ScheduleStatus> {
    return { status: Status.OK, value: this.kernel.scheduleStatus() };
  }

  /** air_syscall_raise_hm_event: the guest's error (or its rate-monotonic deadline miss) goes through the HM tables. */
  hmRaise(caller: AirPartition, error: ErrorCode, message: string): Reply {
    return this.kernel.reportError(caller, error, message) ? { status: Status.OK, abandon: true } : OK;
  }

  /** The caller's last HM event (air_syscall_get_hm_event): its ARINC error code and the action number. */
  hmStatus(caller: AirPartition): Reply<HmStatus> {
    const last = caller.hmEvents.last();
    return {
      status: Status.OK,
      value: {
        events: caller.hmEvents.total,
        lastError: last ? ERROR_CODE_NAMES.indexOf(last.error as ArincErrorName) : 0xffffffff,
        lastAction: last ? HM_ACTION_NUMBERS[last.action as HmAction] : 0,
        lastEventNs: last?.timeNs ?? 0,
      },
    };
  }

  /** The module HM log, oldest entry first; supervisor partitions only. */
  hmLogRead(caller: AirPartition, index: number): Reply<HmLogEntry> {
    if (!caller.has('SUPERVISOR')) return { status: Status.PERMISSION };
    const entry = this.kernel.hmLog.at(index);
    if (!entry) return { status: Status.INVALID_PARAM };
    return {
      status: Status.OK,
      value: {
        timeNs: entry.timeNs,
        partitionId: entry.partitionId,
        error: entry.error,
        level: HM_LEVEL_NUMBERS[entry.level],
        action: HM_ACTION_NUMBERS[entry.action],
        detail: entry.detail.slice(0, 63),
      },
    };
  }

  /** air_syscall_set_schedule: SET_SCHEDULE. */
  setModuleSchedule(caller: AirPartition, scheduleId: number): Reply {
    return this.kernel.requestSchedule(caller, scheduleId);
  }

  /** air_syscall_shutdown_module / air_syscall_restart_module: MODULE_CONTROL. */
  moduleControl(caller: AirPartition, action: ModuleAction): Reply {
    if (!caller.has('MODULE_CONTROL')) return { status: Status.PERMISSION };
    if (action === ModuleAction.SHUTDOWN) this.kernel.shutdown(`module shutdown requested by partition ${caller.name}`);
    else this.kernel.resetModule(StartCondition.NORMAL_START);
    return { status: Status.OK, abandon: true };
  }
}
