/**
 * Static schedule analysis for `paravirt check`: for every schedule, each partition's
 * time per major frame, its share of the processor, its longest gap between windows (the
 * worst-case extra latency of a virtual interrupt raised just after its window closed),
 * and the idle time of the frame. Linear in windows + partitions per schedule (a schedule
 * may have 10,000 windows and a module 256 partitions).
 */
import { formatDuration } from '@paravirt/machine';
import type { ModuleSpec, WindowSpec } from './moduleSpec.js';

const percent = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');

export function analyseSchedules(spec: ModuleSpec): string {
  const lines: string[] = [];
  for (const schedule of spec.schedules) {
    const frame = schedule.majorFrame;
    const used = schedule.windows.reduce((sum, window) => sum + window.duration, 0);
    lines.push(`schedule ${schedule.name}${schedule.initial || spec.schedules.length === 1 ? ' (initial)' : ''}: major frame ${formatDuration(frame)}, ${schedule.windows.length} windows, idle ${formatDuration(Math.max(0, frame - used))} (${percent(frame - used, frame)})`);
    const byPartition = new Map<string, WindowSpec[]>();
    for (const window of schedule.windows) {
      const list = byPartition.get(window.partition);
      if (list) list.push(window);
      else byPartition.set(window.partition, [window]);
    }
    for (const partition of spec.partitions) {
      const windows = (byPartition.get(partition.name) ?? []).sort((a, b) => a.start - b.start);
      if (windows.length === 0) {
        lines.push(`  ${partition.name}: no window (does not run in this schedule)`);
        continue;
      }
      const time = windows.reduce((sum, window) => sum + window.duration, 0);
      // Longest time between the end of one of its windows and the start of its next (wrapping).
      let gap = 0;
      windows.forEach((window, index) => {
        const next = windows[(index + 1) % windows.length]!;
        const nextStart = index + 1 < windows.length ? next.start : next.start + frame;
        gap = Math.max(gap, nextStart - (window.start + window.duration));
      });
      lines.push(`  ${partition.name}: ${formatDuration(time)} per frame (${percent(time, frame)}), ${windows.length} window(s), longest gap ${formatDuration(gap)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
