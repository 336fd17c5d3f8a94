/** The summary table printed after a run: one row per partition. */
import type { Summary } from './summary.js';

const us = (ns: number): string => (ns / 1000).toFixed(1);
const ms = (ns: number): string => (ns / 1e6).toFixed(1);

export function summaryTable(summary: Summary): string {
  // Bare metal counts the hardware interrupts its ISRs took (named as a partition's lines: timer, hw-N).
  const bare = summary.kernel === 'none';
  const header = ['partition', 'app', 'mode', 'windows', 'cpu ms', 'idle ms', 'hypercalls', bare ? 'IRQ raised' : 'vIRQ raised', 'delivered', 'coalesced', 'lost', 'max lat us', 'HM events'];
  const rows = summary.partitions.map((partition) => [
    partition.name,
    partition.app,
    partition.mode,
    String(partition.windows),
    ms(partition.cpuTimeNs),
    ms(partition.idleTimeNs),
    String(partition.hypercalls),
    String(partition.virq.raised),
    String(partition.virq.delivered),
    String(partition.virq.coalesced),
    String(partition.virq.lost),
    us(partition.virq.latencyNs.max),
    String(partition.hmEventCount),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const numeric = (column: number): boolean => column >= 3;
  const format = (cells: readonly string[]): string =>
    cells.map((cell, column) => (numeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const title = `${summary.kernel}/${summary.arch}: ${(summary.virtualTimeNs / 1e9).toFixed(3)} s virtual time, ${summary.schedule.windowsRun} windows, ${summary.events} events, seed ${summary.seed}`;
  return [title, format(header), rule, ...rows.map(format), ...legend(bare), ...notes(summary)].join('\n') + '\n';
}

/** What the interrupt columns count (docs/architecture.md section 6, the summary's `virq`). */
function legend(bare: boolean): string[] {
  return [
    '',
    `${bare ? 'IRQ: hardware interrupts the ISRs took;' : 'vIRQ:'} coalesced = raised while one was pending on its line, handled with it;`,
    'lost = raised, yet not delivered, coalesced, pending or discarded (0 unless paravirt has a bug);',
    bare ? 'latency = from the controller latching the request to the first instruction of the ISR' : "latency = from the raise to the first instruction of the guest's handler",
  ];
}

/** One line per partition that needs explaining: why its health monitor acted, what trap-and-emulate cost. */
function notes(summary: Summary): string[] {
  const out: string[] = [];
  for (const partition of summary.partitions) {
    const first = partition.hmEvents[0];
    if (first) {
      const more = partition.hmEventCount > 1 ? ` (first of ${partition.hmEventCount})` : '';
      out.push(`${partition.name}: HM ${first.error} -> ${first.action} at ${ms(first.timeNs)} ms: ${first.detail}${more}`);
    }
    if (partition.emulatedOperations > 0) {
      out.push(`${partition.name}: trap-and-emulate: ${partition.emulatedOperations} interrupt-flag instructions trapped and emulated, ${partition.emulationCycles} cycles of traps and emulation`);
    }
  }
  return out.length > 0 ? ['', ...out] : [];
}
