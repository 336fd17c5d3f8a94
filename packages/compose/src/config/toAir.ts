/**
 * Our module configuration -> the AIR-style kernel's configuration. Each schedule's flat
 * window list becomes an AIR Module_Schedule (one Partition_Schedule per partition whose
 * period is the major frame); our permissions and health-monitor settings become AIR's
 * permissions and HM tables.
 */
import {
  type AirConfig,
  type AirHealthMonitorConfig,
  type AirPermission,
  airErrorOfCode,
  defaultHealthMonitor,
  isModuleHmAction,
  isPartitionHmAction,
  scheduleFromWindows,
  SystemState,
  type ModuleHmEntry,
  type SystemHmEntry,
  type PartitionHmAction,
  type ArincErrorName,
} from '@paravirt/air-kernel';
import type { ConfigError } from '@paravirt/machine';
import { ERROR_CODE_NAMES, ErrorCode } from '@paravirt/paravirt-api';
import type { ModuleSpec, Permission } from './moduleSpec.js';

const PERMISSION_NAMES: Readonly<Record<Permission, AirPermission>> = {
  'fpu-control': 'FPU_CONTROL',
  'set-schedule': 'SET_SCHEDULE',
  'set-partition-mode': 'SET_PARTITION_MODE',
  'module-control': 'MODULE_CONTROL',
  supervisor: 'SUPERVISOR',
};

const isArincError = (name: string): name is ArincErrorName => (ERROR_CODE_NAMES as readonly string[]).includes(name);

export function toAirConfig(spec: ModuleSpec): { config?: AirConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message });
  const partitions = spec.partitions.map((partition, index) => {
    const permissions = new Set<AirPermission>(partition.permissions.map((permission) => PERMISSION_NAMES[permission]));
    // A system partition may use every control service (as POK's system partitions).
    if (partition.system) for (const permission of ['SET_SCHEDULE', 'SET_PARTITION_MODE', 'MODULE_CONTROL', 'SUPERVISOR'] as const) permissions.add(permission);
    return {
      id: index,
      name: partition.name,
      memorySize: partition.memory.size,
      ...(partition.memory.base !== undefined ? { physicalBase: partition.memory.base } : {}),
      system: partition.system,
      permissions: [...permissions],
      ports: partition.ports,
      ipiTargets: [],
    };
  });
  const requesters = partitions.filter((partition) => partition.permissions.includes('SET_SCHEDULE')).map((partition) => partition.name);
  const schedules = spec.schedules.map((schedule, index) =>
    scheduleFromWindows({ name: schedule.name, id: index, initial: schedule.initial, majorFrame: schedule.majorFrame, windows: schedule.windows, setModuleSchedule: requesters, changeActions: schedule.changeActions }, index),
  );

  const overrides: Record<string, Partial<Record<ArincErrorName, PartitionHmAction>>> = {};
  for (const [partition, table] of Object.entries(spec.healthMonitor.partitions)) {
    const entries: Partial<Record<ArincErrorName, PartitionHmAction>> = {};
    for (const [error, action] of Object.entries(table)) {
      const path = `healthMonitor.partitions.${partition}.${error}`;
      if (!isArincError(error)) fail(path, `unknown ARINC 653 error (${ERROR_CODE_NAMES.join(', ')})`);
      else if (!isPartitionHmAction(action)) fail(path, 'partition HM action must be IGNORE, IDLE, WARM_START or COLD_START');
      else entries[error] = action;
    }
    overrides[partition] = entries;
  }
  const base = defaultHealthMonitor(partitions.map((partition) => partition.name), overrides);
  const system: SystemHmEntry[] = [...base.system];
  const module: ModuleHmEntry[] = [...base.module];
  for (const [error, action] of Object.entries(spec.healthMonitor.module)) {
    const path = `healthMonitor.module.${error}`;
    if (!isArincError(error)) fail(path, `unknown ARINC 653 error (${ERROR_CODE_NAMES.join(', ')})`);
    else if (!isModuleHmAction(action)) fail(path, 'module HM action must be IGNORE, SHUTDOWN or RESET');
    else {
      // The System HM table sends this error to the module level in every partition state.
      const identifier = airErrorOfCode(ErrorCode[error]);
      for (const state of [SystemState.PARTITION_INIT, SystemState.PARTITION_EXEC, SystemState.PARTITION_PROC]) {
        system.push({ state, error: identifier, level: 'MODULE', errorCode: error });
        module.push({ state, error: identifier, action });
      }
    }
  }
  const healthMonitor: AirHealthMonitorConfig = { system, module, partitions: base.partitions };
  if (errors.length > 0) return { errors };
  return {
    config: {
      name: spec.name,
      kernelTick: spec.kernelTick,
      partitions,
      schedules,
      channels: spec.channels,
      routes: spec.devices.filter((device) => device.partition !== undefined).map((device) => ({ line: device.line, partition: device.partition! })),
      healthMonitor,
    },
    errors: [],
  };
}
