/**
 * Virtual interrupt lines (docs/architecture.md section 4). Lower number = higher delivery
 * priority: pending lines are delivered in ascending order.
 */
export const VirtualLine = {
  /** The partition's virtual timer (Hypercall.TIMER_SET). */
  TIMER: 0,
  /** A health-monitor event the partition's HM table passes to the guest (AIR IGNORE level). */
  HM_EVENT: 1,
  /** Console input arrived. */
  CONSOLE_INPUT: 2,
  /** A destination port of this partition received a message. */
  PORT_UPDATED: 3,
  /** One of this partition's windows started. */
  WINDOW_START: 4,
  /** Routed hardware interrupt lines: HW_BASE + hardware line (i386 IRQ n, SPARC level n). */
  HW_BASE: 8,
  /** Inter-partition virtual interrupts: IPI_BASE + n, n in 0..7. */
  IPI_BASE: 24,
} as const;

export const VIRTUAL_LINE_COUNT = 32;
export const HW_LINE_COUNT = 16;
export const IPI_LINE_COUNT = 8;

export function isValidLine(line: number): boolean {
  return Number.isInteger(line) && line >= 0 && line < VIRTUAL_LINE_COUNT;
}

export function lineName(line: number): string {
  switch (line) {
    case VirtualLine.TIMER:
      return 'timer';
    case VirtualLine.HM_EVENT:
      return 'hm-event';
    case VirtualLine.CONSOLE_INPUT:
      return 'console-input';
    case VirtualLine.PORT_UPDATED:
      return 'port-updated';
    case VirtualLine.WINDOW_START:
      return 'window-start';
    default:
      if (line >= VirtualLine.HW_BASE && line < VirtualLine.HW_BASE + HW_LINE_COUNT) return `hw-${line - VirtualLine.HW_BASE}`;
      if (line >= VirtualLine.IPI_BASE && line < VirtualLine.IPI_BASE + IPI_LINE_COUNT) return `ipi-${line - VirtualLine.IPI_BASE}`;
      return `line-${line}`;
  }
}
