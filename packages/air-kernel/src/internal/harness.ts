import type { ConsoleBuffer } from '@paravirt/machine';
/**
 * Test harness for this package's tests only (not exported): boots an AirKernel on
 * machine's SimplePlatform with scripted paravirtual guests (kernel-core/test) and a
 * trace buffer, and builds small configurations.
 */
import { readFileSync } from 'node:fs';
import { BufferTraceSink, TraceRecorder } from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { type GuestScript, scriptedGuest, type ScriptedGuestOptions } from '@paravirt/kernel-core/test';
import { AirKernel } from '../airKernel.js';
import { readAirXml } from '../airXml.js';
import type { AirConfig, AirPartitionConfig, AirScheduleConfig } from '../config.js';
import { defaultHealthMonitor } from '../hm.js';

export const MS = 1_000_000;

export const idle: GuestScript = function* () {};

export type GuestEntry = GuestScript | readonly [GuestScript, ScriptedGuestOptions];

export function partition(name: string, id: number, extra: Partial<AirPartitionConfig> = {}): AirPartitionConfig {
  return { id, name, memorySize: 1 << 20, system: false, permissions: [], ports: [], ipiTargets: [], ...extra };
}

/** One schedule where each partition has one window and its period is the major frame. */
export function simpleSchedule(name: string, id: number, majorFrame: number, windows: ReadonlyArray<readonly [string, number, number]>, initial = false): AirScheduleConfig {
  return {
    id,
    name,
    initial,
    majorFrame,
    partitions: windows.map(([partitionName, start, duration], index) => ({
      partition: partitionName,
      period: majorFrame,
      periodDuration: duration,
      setModuleSchedule: false,
      changeAction: 'IGNORE' as const,
      windows: [{ id: index, start, duration, periodStart: true }],
    })),
  };
}

/** Two partitions a (id 1) and b (id 2): a [0, 40 ms), b [50, 90 ms) of a 100 ms frame, idle in between. */
export function twoPartitionConfig(extra: Partial<AirConfig> = {}): AirConfig {
  const partitions = extra.partitions ?? [partition('a', 1), partition('b', 2)];
  return {
    kernelTick: MS,
    partitions,
    schedules: [
      simpleSchedule('main', 1, 100 * MS, [
        ['a', 0, 40 * MS],
        ['b', 50 * MS, 40 * MS],
      ]),
    ],
    channels: [],
    routes: [],
    healthMonitor: defaultHealthMonitor(partitions.map((p) => p.name)),
    ...extra,
  };
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureConfig(name: string): AirConfig {
  const result = readAirXml(fixtureText(name));
  if (!result.config) throw new Error(`fixture ${name}: ${JSON.stringify(result.errors)}`);
  return result.config;
}

export function bootAir(config: AirConfig, guests: Readonly<Record<string, GuestEntry>>) {
  const sink = new BufferTraceSink();
  const platform = new SimplePlatform({ memorySize: 8 << 20, trace: new TraceRecorder(sink) });
  const consoles: string[] = [];
  const factories = Object.fromEntries(
    Object.entries(guests).map(([name, entry]) => {
      const [script, options] = typeof entry === 'function' ? [entry, {}] : entry;
      return [name, scriptedGuest(script, options)];
    }),
  );
  const kernel = new AirKernel({ platform, config, guests: factories, onConsole: (name, bytes) => consoles.push(`${name}:${String.fromCharCode(...bytes)}`) });
  kernel.boot();
  const records = (kind: string) => sink.records.filter((record) => record.kind === kind);
  const at = (time: number) => (time % MS === 0 ? `${time / MS}ms` : `${time}ns`);
  return {
    platform,
    kernel,
    consoles,
    sink,
    /** 'window.start' records as "<time> <partition>". */
    windowStarts: () => records('window.start').map((record) => `${at(record.time)} ${String(record.payload['partition'])}`),
    windowEnds: () => records('window.end').map((record) => `${at(record.time)} ${String(record.payload['partition'])}`),
    run: (until: number) => platform.board.runUntil(until),
    part: (name: string) => kernel.partition(name)!,
  };
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
export const consoleOf = (console: ConsoleBuffer): string => console.text();
