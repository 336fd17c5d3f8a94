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

/**
 * When each line of a controller latched the request it holds now, or held last: the board
 * hands devices its lines through wrap(), and a raise the controller did not count as
 * coalesced latched a new request at the board's current time. What interrupt latency is
 * measured from (Platform.interruptLatchedAt).
 */
export class LatchTimes {
  private readonly at: Array<number | undefined> = [];

  /** `coalesced`: the controller's own count per line of raises that found a request latched. */
  constructor(
    private readonly queue: { readonly now: number },
    private readonly coalesced: readonly number[],
  ) {}

  wrap(line: IrqLine): IrqLine {
    const number = line.number;
    return {
      number,
      raise: () => {
        // Set first: the processor may take the interrupt inside raise() and read it.
        const before = this.coalesced[number];
        const previous = this.at[number];
        this.at[number] = this.queue.now;
        line.raise();
        // Absorbed into the request already latched: that one's time stands.
        if (this.coalesced[number] !== before) this.at[number] = previous;
      },
      lower: () => line.lower(),
    };
  }

  latchedAt(line: number): number | undefined {
    return this.at[line];
  }

  /** Fast-forward (Platform.skipTicks): requests on `line` were latched and taken without being simulated, the last at `at`. */
  skipped(line: number, at: number): void {
    this.at[line] = at;
  }
}
