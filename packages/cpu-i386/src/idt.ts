/**
 * The interrupt descriptor table as the processor model uses it: up to 256 gates, each an
 * interrupt gate (clears IF on entry) or a trap gate (leaves IF alone), with a descriptor
 * privilege level and a present bit (Intel SDM Vol. 3 section 6.10-6.12). Instead of a
 * code-segment selector and offset, a gate holds the handler the processor calls.
 *
 * An entry left empty is a descriptor whose type is not a gate: using it raises #GP, as
 * does a vector beyond the table's limit. A gate marked not present raises #NP.
 */
import type { TrapInfo, TrapOutcome } from '@paravirt/machine';

export type GateKind = 'interrupt' | 'trap';
export type DescriptorPrivilegeLevel = 0 | 1 | 2 | 3;

export type GateHandler = (trap: TrapInfo) => TrapOutcome;

export interface IdtGate {
  readonly kind: GateKind;
  /** The least privileged CPL allowed to reach this gate with INT n (SDM section 6.12.1.1). */
  readonly dpl: DescriptorPrivilegeLevel;
  readonly present: boolean;
  readonly handler: GateHandler;
}

export const IDT_MAX_ENTRIES = 256;

export class Idt {
  private readonly gates: Array<IdtGate | undefined>;

  /** `entries` models the IDTR limit: vectors at or above it are outside the table. */
  constructor(readonly entries: number = IDT_MAX_ENTRIES) {
    if (!Number.isInteger(entries) || entries < 0 || entries > IDT_MAX_ENTRIES) {
      throw new RangeError(`an IDT holds 0..${IDT_MAX_ENTRIES} gates, got ${entries}`);
    }
    this.gates = new Array<IdtGate | undefined>(entries).fill(undefined);
  }

  /** The IDTR limit value LIDT would load for this table: 8 bytes per gate, minus one. */
  get limit(): number {
    return this.entries * 8 - 1;
  }

  set(vector: number, gate: IdtGate): this {
    this.check(vector);
    if (gate.kind !== 'interrupt' && gate.kind !== 'trap') throw new RangeError(`vector ${vector}: gate kind must be 'interrupt' or 'trap'`);
    if (![0, 1, 2, 3].includes(gate.dpl)) throw new RangeError(`vector ${vector}: gate DPL must be 0..3, got ${gate.dpl}`);
    this.gates[vector] = { kind: gate.kind, dpl: gate.dpl, present: gate.present, handler: gate.handler };
    return this;
  }

  /** Empties the entry (a zeroed descriptor). */
  clear(vector: number): this {
    this.check(vector);
    this.gates[vector] = undefined;
    return this;
  }

  /** The gate at `vector`, or undefined for an empty entry or a vector beyond the limit. */
  gate(vector: number): IdtGate | undefined {
    return this.gates[vector];
  }

  private check(vector: number): void {
    if (!Number.isInteger(vector) || vector < 0 || vector >= this.entries) {
      throw new RangeError(`vector ${vector} is outside this IDT (${this.entries} entries)`);
    }
  }
}
