/**
 * The wiring between devices, interrupt controllers and the processor.
 *
 *   device --IrqLine--> controller --InterruptRequester--> processor
 *
 * Devices only know an IrqLine; the processor only knows an InterruptRequester. The
 * generic controller in this package, the i386 8259A pair and the LEON3 IRQMP all sit in
 * the middle, so any device works with any controller.
 */

/** One input wire of an interrupt controller. */
export interface IrqLine {
  readonly number: number;
  /** Assert the line. An edge-triggered input latches a request; a level input holds it. */
  raise(): void;
  /** Deassert the line (matters for level-triggered inputs). */
  lower(): void;
}

/** The interrupt output of a controller as the processor sees it. */
export interface InterruptRequester {
  /**
   * The priority of the most urgent request that is pending and not masked, or 0 when
   * there is none. The processor compares it with its own state (i386: any request with
   * IF = 1; SPARC: level > PIL or level 15).
   */
  requestLevel(): number;
  /** The interrupt-acknowledge cycle: returns the vector/level taken and updates state. */
  acknowledge(): number;
  /** Registers the processor to be told whenever requestLevel() may have changed. */
  connect(listener: () => void): void;
}
