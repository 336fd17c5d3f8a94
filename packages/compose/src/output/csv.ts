/**
 * The summary table as CSV (`--csv`): one header line, then one line per partition, with
 * the table's columns in exact units (nanoseconds, counts) rather than its rounded ms/us.
 * Fields are quoted as RFC 4180 says (a comma, a quote, a line break), lines end in `\n`.
 */
import type { Summary } from './summary.js';

const COLUMNS = ['partition', 'app', 'mode', 'windows', 'cpuTimeNs', 'idleTimeNs', 'hypercalls', 'virqRaised', 'virqDelivered', 'virqCoalesced', 'virqLost', 'virqMaxLatencyNs', 'hmEventCount'] as const;

function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function summaryCsv(summary: Summary): string {
  const rows = summary.partitions.map((partition) => [
    partition.name,
    partition.app,
    partition.mode,
    partition.windows,
    partition.cpuTimeNs,
    partition.idleTimeNs,
    partition.hypercalls,
    partition.virq.raised,
    partition.virq.delivered,
    partition.virq.coalesced,
    partition.virq.lost,
    partition.virq.latencyNs.max,
    partition.hmEventCount,
  ]);
  return [COLUMNS, ...rows].map((row) => `${row.map(field).join(',')}\n`).join('');
}
