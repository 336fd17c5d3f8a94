/**
 * Virtual interrupts counted at their sources and followed end to end (issue 13): every raise
 * a device, a virtual timer or a port transfer makes is found again, either as an upcall the
 * guest itself counted or in one of the summary's counters (coalesced, pending, discarded
 * with its reason). Three independent counts meet here:
 *  - the sources': the device's raises (PeriodicIrqSource), each partition's timer
 *    expirations (VirtualTimer), the ports' updates (PortTable.updatesRaised);
 *  - the hardware path's: the interrupt controller's coalesced/pending, the kernel's
 *    interrupt entries per line;
 *  - the guest's: upcalls it took per virtual line (VirtualPokGuest.upcalls), summed over
 *    every guest instance a partition ran.
 *
 * The module: `sensor` takes a 3 ms device on line 5 and exits at 5 s (its partition stops:
 * later raises are discarded as 'stopped'); producer and consumer exchange port traffic (port
 * updates); every partition has its clock tick. Windows are back to back so POK runs it too.
 */
import type { PokKernel } from '@paravirt/pok-kernel';
import type { AirKernel } from '@paravirt/air-kernel';
import type { VirtualPokGuest } from '@paravirt/bsp-virtualpok';
import type { PartitionGuest } from '@paravirt/paravirt-api';
import { VirtualLine } from '@paravirt/paravirt-api';
import { describe, expect, it } from 'vitest';
import { loadConfig, buildSummary, Simulation } from '@paravirt/compose';
import { planApplications } from '../src/run/applications.js';
import { here } from './helpers.js';

const MODULE = (kernel: string, arch: string): string => `
name: virq-accounting
kernel: ${kernel}
arch: ${arch}
duration: 6500ms
seed: 11
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: sensor,   start: 0ms,  duration: 30ms }
      - { partition: producer, start: 30ms, duration: 35ms }
      - { partition: consumer, start: 65ms, duration: 35ms }
partitions:
  - { name: sensor, app: sensor }
  - name: producer
    app: producer
    ports:
      - { name: out,     kind: sampling, direction: source, maxMessageSize: 16, refreshPeriod: 200ms }
      - { name: records, kind: queuing,  direction: source, maxMessageSize: 32, maxMessages: 4, discipline: fifo }
  - name: consumer
    app: consumer
    ports:
      - { name: in,      kind: sampling, direction: destination, maxMessageSize: 16, refreshPeriod: 200ms }
      - { name: records, kind: queuing,  direction: destination, maxMessageSize: 32, maxMessages: 4, discipline: fifo }
channels:
  - { source: producer.out,     destinations: [consumer.in] }
  - { source: producer.records, destinations: [consumer.records] }
devices:
  - { kind: periodic-irq, line: 5, period: 3ms, jitter: 1ms, partition: sensor }
`;

const SLICE = 10_000_000;
const HW5 = VirtualLine.HW_BASE + 5;

describe.each([
  ['pok', 'i386'],
  ['pok', 'sparc'],
  ['air', 'i386'],
  ['air', 'sparc'],
] as const)('vIRQ accounting end to end: %s on %s', (kernel, arch) => {
  it('every raise is an upcall the guest saw, or coalesced, pending or discarded - for the device, the timers and port updates', () => {
    const loaded = loadConfig(MODULE(kernel, arch));
    expect(loaded.errors).toEqual([]);
    const spec = loaded.spec!;
    const plan = planApplications(spec, { cwd: here, config: undefined, fromCli: new Set() });
    const simulation = new Simulation({ spec, applications: plan.builtins });
    // Every guest instance each partition ran (a stop or restart replaces it), to sum what they saw.
    const guests = new Map<string, Set<PartitionGuest>>(spec.partitions.map((partition) => [partition.name, new Set()]));
    const collect = (): void => {
      for (const partition of spec.partitions) {
        const instance = simulation.kernel.partition(partition.name)!.instance;
        if (instance) guests.get(partition.name)!.add(instance);
      }
    };
    simulation.start();
    while (!simulation.advance(spec.duration, SLICE)) collect();
    collect();
    const result = simulation.result();
    expect(result.stopReason).toBeUndefined();
    const summary = buildSummary(spec, result.report, { virtualTimeNs: result.virtualTimeNs, events: result.events, wallTimeMs: 0, devices: result.devices });
    const seen = (partition: string, line: number): number => [...guests.get(partition)!].reduce((sum, guest) => sum + (guest as VirtualPokGuest).upcalls[line]!, 0);

    // The device, through the interrupt controller and the kernel's entry to the partition's line.
    const [device] = result.devices;
    const [hardware] = summary.hardwareLines;
    expect(device!.raised).toBeGreaterThan(2000);
    expect(hardware).toMatchObject({ line: 5, partition: 'sensor', deviceRaised: device!.raised });
    expect(hardware!.controller!.raised).toBe(device!.raised);
    expect(hardware!.controller!.coalesced + hardware!.controller!.pending + hardware!.taken).toBe(device!.raised);
    const sensor = simulation.kernel.partition('sensor')!;
    expect(hardware!.taken).toBe(hardware!.notRouted + sensor.raisedAtSource[HW5]!);

    // Each source's own count is the partition's count of raises on that line.
    const ports = (simulation.kernel as unknown as PokKernel | AirKernel).ports;
    spec.partitions.forEach((partitionSpec, index) => {
      const partition = simulation.kernel.partition(partitionSpec.name)!;
      expect(partition.raisedAtSource[VirtualLine.TIMER]).toBe(partition.timer.expirations);
      expect(partition.raisedAtSource[VirtualLine.PORT_UPDATED]).toBe(ports.updatesRaised[index]);
    });
    expect(ports.updatesRaised[2]).toBeGreaterThan(0);

    // Every raise on every line ends as an upcall the guest counted, or in a summary counter.
    for (const partition of summary.partitions) {
      for (const line of partition.virq.lines) {
        const number = result.report.partitions.find((candidate) => candidate.name === partition.name)!.virq.lines.find((entry) => entry.name === line.line)!.line;
        expect({ partition: partition.name, line: line.line, raised: line.raised }).toEqual({
          partition: partition.name,
          line: line.line,
          raised: seen(partition.name, number) + line.coalesced + line.pending + line.discarded,
        });
        expect(line.discarded).toBe(line.discardedBy.stopped + line.discardedBy.restarted);
        expect(line.lost).toBe(0);
      }
      expect(partition.virq.lost).toBe(0);
    }

    // sensor exits at 5 s: what its line and its timer raise after that is discarded, and says why.
    const sensorSummary = summary.partitions.find((partition) => partition.name === 'sensor')!;
    expect(sensorSummary.mode).toBe('IDLE');
    const sensorLine = sensorSummary.virq.lines.find((line) => line.line === 'hw-5')!;
    expect(sensorLine.discardedBy.stopped).toBeGreaterThan(400);
    expect(sensorLine.delivered).toBeGreaterThan(100);
    expect(sensorSummary.virq.discardedBy.stopped).toBe(sensorSummary.virq.discarded);
  });
});
