/**
 * TEST DOUBLE. A minimal paravirtualized guest for kernel and API tests: it follows the
 * boot protocol, builds a HypercallClient over a scratch buffer in its own memory, can set
 * up virtual interrupts (vCPU page, upcall entry, unmasked lines, enabled), and runs a
 * script: a generator yielding compute cycles, resumed after preemption with the rest of
 * its step like a real guest. It is not an operating system; bsp-virtualpok is.
 *
 * Memory layout (offsets from the partition's base): scratch 0x1000-0x1fff, vCPU page
 * 0x2000, upcall entry 0x3000.
 */
import { type GuestProcessor, type HypercallAbi, type ProgramImage, WAIT_FOR_INTERRUPT } from '@paravirt/machine';
import {
  BootRegister,
  HypercallClient,
  type PartitionGuest,
  type PartitionGuestFactory,
  type PartitionStart,
  VcpuPage,
} from '@paravirt/paravirt-api';

export const SCRIPTED_GUEST_LAYOUT = { scratch: 0x1000, scratchSize: 0x1000, vcpuPage: 0x2000, upcall: 0x3000 } as const;

export interface ScriptedGuestEnv {
  readonly client: HypercallClient;
  readonly processor: GuestProcessor;
  readonly abi: HypercallAbi;
  readonly image: ProgramImage;
  readonly start: PartitionStart;
  readonly base: number;
  readonly size: number;
  readonly id: number;
  /** Lines delivered to the upcall, in order. */
  readonly upcalls: number[];
  /** Everything the script wants to remember (tests read it afterwards). */
  readonly log: string[];
  /** The guest's virtual interrupt flag, written in its vCPU page as libcpu-virtual does. */
  setEnabled(enabled: boolean): void;
  /** Registers the vCPU page and the upcall entry, unmasks `lines` and enables. */
  enableVirtualInterrupts(lines: readonly number[]): void;
}

export type GuestScript = (env: ScriptedGuestEnv) => Generator<number, void, unknown>;

export interface ScriptedGuestOptions {
  /** Runs inside the upcall for each delivered line (before VIRQ_RETURN). */
  readonly onUpcall?: (env: ScriptedGuestEnv, line: number) => void;
  /** Called with each boot's environment (a restart boots again). */
  readonly onBoot?: (env: ScriptedGuestEnv) => void;
}

export function scriptedGuest(script: GuestScript, options: ScriptedGuestOptions = {}): PartitionGuestFactory {
  return (start: PartitionStart): PartitionGuest => {
    let body: Generator<number, void, unknown> | undefined;
    let remaining = 0;
    return {
      boot() {
        const cpu = start.processor;
        const register = (index: number) => cpu.readRegister(start.abi.argumentRegisters[index]!);
        const base = register(BootRegister.MEMORY_BASE);
        const layout = SCRIPTED_GUEST_LAYOUT;
        const client = new HypercallClient(cpu, start.abi, { address: base + layout.scratch, size: layout.scratchSize }, start.littleEndian);
        const env: ScriptedGuestEnv = {
          client,
          processor: cpu,
          abi: start.abi,
          image: start.image,
          start,
          base,
          size: register(BootRegister.MEMORY_SIZE),
          id: register(BootRegister.PARTITION_ID),
          upcalls: [],
          log: [],
          setEnabled(enabled) {
            cpu.store(base + layout.vcpuPage + VcpuPage.ENABLED, 4, enabled ? 1 : 0);
          },
          enableVirtualInterrupts(lines) {
            client.vcpuRegister(base + layout.vcpuPage);
            client.setUpcall(base + layout.upcall);
            for (const line of lines) client.unmask(line);
            this.setEnabled(true);
            client.deliverPending();
          },
        };
        start.image.define(base + layout.upcall, () => {
          const line = cpu.readRegister(start.abi.argumentRegisters[0]!);
          env.upcalls.push(line);
          options.onUpcall?.(env, line);
          client.virqReturn();
        });
        options.onBoot?.(env);
        body = script(env);
      },
      next() {
        if (remaining > 0) {
          const rest = remaining;
          remaining = 0;
          return rest;
        }
        const step = body!.next();
        return step.done ? WAIT_FOR_INTERRUPT : step.value;
      },
      preempted(rest) {
        remaining = rest;
      },
    };
  };
}
