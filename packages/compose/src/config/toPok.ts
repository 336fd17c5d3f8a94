/**
 * Our module configuration -> the POK-style kernel's configuration. POK runs one schedule
 * of slots back to back (no gaps, no schedule switching: use kernel air for those), so
 * the windows of the single schedule become slots in start order.
 */
import { type ConfigError, formatDuration } from '@paravirt/machine';
import { isPokAction, isPokErrorKind, type PokAction, type PokConfig, type PokErrorKind } from '@paravirt/pok-kernel';
import type { ModuleSpec } from './moduleSpec.js';

export function toPokConfig(spec: ModuleSpec): { config?: PokConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message });
  if (spec.schedules.length !== 1) fail('schedules', `the pok kernel runs exactly one schedule (POK has no schedule switching), got ${spec.schedules.length}; use kernel: air for several`);
  const schedule = spec.schedules[0];
  const slots = schedule ? [...schedule.windows].sort((a, b) => a.start - b.start) : [];
  let expected = 0;
  for (const window of slots) {
    const index = schedule!.windows.indexOf(window);
    if (window.start !== expected) {
      fail(`schedules[0].windows[${index}].start`, `the pok kernel runs slots back to back: this window starts at ${formatDuration(window.start)}, the previous one ends at ${formatDuration(expected)} (gaps need kernel: air)`);
    }
    expected = window.start + window.duration;
  }
  if (schedule && expected !== schedule.majorFrame && slots.length > 0) {
    fail('schedules[0].windows', `the slots end at ${formatDuration(expected)} but the major frame is ${formatDuration(schedule.majorFrame)} (POK requires the slots to fill the major frame)`);
  }
  // IGNORE is what no action means (an imported XML spells it out for every partition).
  for (const [name, action] of Object.entries(schedule?.changeActions ?? {})) {
    if (action !== 'IGNORE') fail(`schedules[0].changeActions.${name}`, 'schedule change actions need kernel: air');
  }
  if (Object.keys(spec.healthMonitor.module).length > 0) fail('healthMonitor.module', 'the pok kernel has no module HM table (kernel: air has one)');

  const partitions = spec.partitions.map((partition) => {
    const errorActions: Partial<Record<PokErrorKind, PokAction>> = {};
    for (const [error, action] of Object.entries(spec.healthMonitor.partitions[partition.name] ?? {})) {
      const path = `healthMonitor.partitions.${partition.name}.${error}`;
      if (!isPokErrorKind(error)) fail(path, `unknown POK error kind (one of DEADLINE_MISSED, APPLICATION_ERROR, NUMERIC_ERROR, ILLEGAL_REQUEST, STACK_OVERFLOW, MEMORY_VIOLATION, HARDWARE_FAULT, POWER_FAIL, ...)`);
      else if (!isPokAction(action)) fail(path, 'action must be IGNORE, HANDLER, IDLE, COLD_START or WARM_START');
      else errorActions[error] = action;
    }
    // POK has no permissions; a system partition may use every control service. fpu-control
    // is granted to every partition already (the POK-style kernel's FPU is anyone's).
    if (partition.permissions.some((permission) => permission !== 'fpu-control')) {
      fail(`partitions.${partition.name}.permissions`, 'the pok kernel has no per-service permissions; use system: true (or kernel: air)');
    }
    return {
      name: partition.name,
      memorySize: partition.memory.size,
      ...(partition.memory.base !== undefined ? { physicalBase: partition.memory.base } : {}),
      system: partition.system,
      ports: partition.ports,
      errorActions,
      ipiTargets: [],
    };
  });
  if (errors.length > 0) return { errors };
  return {
    config: {
      kernelTick: spec.kernelTick,
      majorFrame: schedule!.majorFrame,
      slots: slots.map((window) => ({ partition: window.partition, duration: window.duration })),
      partitions,
      channels: spec.channels,
      routes: spec.devices.filter((device) => device.partition !== undefined).map((device) => ({ line: device.line, partition: device.partition! })),
      flush: 'major-frame',
    },
    errors: [],
  };
}
