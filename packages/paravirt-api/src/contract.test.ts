/**
 * The contract alone, with no kernel machinery: a guest's HypercallClient traps on
 * machine's SimplePlatform, the HypercallDispatcher decodes the trap through the ABI
 * descriptor and calls a stub HypervisorBinding - what a foreign kernel that implements
 * only the binding gets from this package. The whole API on a real binding (every
 * hypercall, vIRQ rules, fuzzing) is tested in @paravirt/kernel-core, through TestHost.
 */
import * as machine from '@paravirt/machine';
import { SimplePlatform } from '@paravirt/machine/test';
import { describe, expect, it } from 'vitest';
import type { BadHypercallReport, HypercallCaller, HypervisorBinding, Reply } from './binding.js';
import { HypercallClient } from './client.js';
import { ERROR_CODE_NAMES, ErrorCode, ModuleAction, PARTITION_MODE_NAMES, PartitionMode, PortDirection, PortKind, QueuingDiscipline, StartCondition, Validity } from './arinc.js';
import { HypercallDispatcher } from './dispatcher.js';
import { Hypercall, HYPERCALLS } from './hypercalls.js';
import * as api from './index.js';
import { Status } from './status.js';
import { API_VERSION } from './version.js';
import { VirtualLine } from './virtualLines.js';

const SCRATCH = { address: 0x1000, size: 0x1000 };

/** A binding that records what reaches it and answers NOT_AVAILABLE unless told otherwise. */
function stubBinding(calls: string[], own: Partial<HypervisorBinding<HypercallCaller>>): HypervisorBinding<HypercallCaller> {
  const base: Record<string | symbol, unknown> = { hypervisorName: 'stub', hypervisorVersion: '0.1', features: ['console'], ...own };
  return new Proxy(base, {
    get(target, key) {
      const value = target[key];
      if (typeof key === 'symbol' || (value !== undefined && typeof value !== 'function')) return value;
      return (...args: unknown[]) => {
        calls.push(key);
        return value ? (value as (...a: unknown[]) => unknown)(...args) : { status: Status.NOT_AVAILABLE };
      };
    },
  }) as unknown as HypervisorBinding<HypercallCaller>;
}

function setup(endianness: 'little' | 'big' = 'little') {
  const platform = new SimplePlatform({ memorySize: 1 << 20, endianness });
  const caller: HypercallCaller = { context: platform.createUserContext({ name: 'p0', physicalBase: 0x10000, size: 0x10000 }) };
  const calls: string[] = [];
  const console: string[] = [];
  const reports: BadHypercallReport[] = [];
  const binding = stubBinding(calls, {
    consoleWrite: (_caller, bytes): Reply => (console.push(new TextDecoder().decode(bytes)), { status: Status.OK }),
    timeGet: (_caller, clock): Reply<number> => ({ status: Status.OK, value: clock === 0 ? 2 ** 40 + 7 : 5 }),
    badHypercall: (_caller, report): Reply => (reports.push(report), { status: Status.OK }),
  });
  const dispatcher = new HypercallDispatcher(platform, platform.hypercallAbi, binding);
  platform.installSupervisor((trap) => (trap.class === 'hypercall' ? dispatcher.dispatch(caller).outcome : 'return'));
  platform.enterUser(caller.context);
  const client = new HypercallClient(platform.processor, platform.hypercallAbi, SCRATCH, platform.board.memory.littleEndian);
  return { platform, client, calls, console, reports };
}

describe('API_VERSION', () => {
  it('is what INFO_API_VERSION answers, without asking the binding', () => {
    const { client, calls } = setup();
    expect(client.apiVersion()).toEqual({ status: Status.OK, value: API_VERSION });
    expect(calls).toEqual([]);
  });
});

describe('the dispatcher on a stub binding', () => {
  it('answers INFO_HYPERVISOR from the binding name, version and features', () => {
    const { client } = setup();
    expect(client.hypervisorInfo()).toEqual({ status: Status.OK, value: 'stub 0.1 console' });
  });

  it('copies a console write out of the caller memory into the binding', () => {
    const { client, console, calls } = setup();
    expect(client.consoleWrite(new TextEncoder().encode('hello\n'))).toBe(Status.OK);
    expect(console).toEqual(['hello\n']);
    expect(calls).toEqual(['consoleWrite']);
  });

  it.each(['little', 'big'] as const)('writes 64-bit times in the architecture byte order (%s endian)', (endianness) => {
    const { client } = setup(endianness);
    expect(client.timeGet(0)).toEqual({ status: Status.OK, value: 2 ** 40 + 7 });
    expect(client.timeGet(1)).toEqual({ status: Status.OK, value: 5 });
  });

  it('rejects a pointer outside the caller memory with BAD_ADDRESS and a report, never calling the method', () => {
    const { client, calls, reports, platform } = setup();
    expect(client.call(Hypercall.CONSOLE_WRITE, 0x10000 - 2, 4).status).toBe(Status.BAD_ADDRESS);
    expect(client.call(Hypercall.CONSOLE_WRITE, 0x20000, 4).status).toBe(Status.BAD_ADDRESS);
    expect(calls).toEqual(['badHypercall', 'badHypercall']);
    expect(reports.map((report) => [report.name, report.kind])).toEqual([
      ['CONSOLE_WRITE', 'bad-address'],
      ['CONSOLE_WRITE', 'bad-address'],
    ]);
    expect(platform.processor.stopReason).toBeUndefined();
  });

  it('rejects unknown numbers and bad arguments with their status', () => {
    const { client, reports } = setup();
    expect(client.call(0xff).status).toBe(Status.UNKNOWN_HYPERCALL);
    expect(client.call(Hypercall.VIRQ_MASK, 99).status).toBe(Status.INVALID_PARAM);
    expect(client.call(Hypercall.SET_PARTITION_MODE, 7).status).toBe(Status.INVALID_PARAM);
    expect(reports.map((report) => report.kind)).toEqual(['unknown-hypercall', 'invalid-param', 'invalid-param']);
  });

  it('passes the binding status through', () => {
    const { client, calls } = setup();
    expect(client.idle()).toBe(Status.NOT_AVAILABLE);
    expect(calls).toEqual(['idle']);
  });
});

describe('every hypercall reaches its binding method', () => {
  type Member = keyof HypervisorBinding<HypercallCaller>;

  /** A binding that records every member the dispatcher reads, and answers NOT_AVAILABLE. */
  function recordingBinding(accessed: Member[]): HypervisorBinding<HypercallCaller> {
    const base: Record<string | symbol, unknown> = { hypervisorName: 'stub', hypervisorVersion: '0.1', features: ['console'] };
    return new Proxy(base, {
      get(target, key) {
        if (typeof key === 'symbol') return undefined;
        accessed.push(key as Member);
        return key in target ? target[key] : () => ({ status: Status.NOT_AVAILABLE });
      },
    }) as unknown as HypervisorBinding<HypercallCaller>;
  }

  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const descriptor = {
    kind: PortKind.QUEUING,
    direction: PortDirection.SOURCE,
    maxMessageSize: 16,
    maxMessages: 4,
    refreshPeriodNs: 0,
    discipline: QueuingDiscipline.FIFO,
    name: 'out',
  };

  /**
   * Each hypercall made with valid arguments through the client, and the binding members it
   * must reach (INFO_API_VERSION: none, the dispatcher answers it). A Record over the enum's
   * names: a new hypercall without a row here does not compile.
   */
  const cases: Record<keyof typeof Hypercall, { readonly call: (client: HypercallClient) => unknown; readonly reaches: readonly Member[] }> = {
    INFO_API_VERSION: { call: (c) => c.apiVersion(), reaches: [] },
    INFO_HYPERVISOR: { call: (c) => c.hypervisorInfo(), reaches: ['hypervisorName', 'hypervisorVersion', 'features'] },
    INFO_PARTITION: { call: (c) => c.partitionInfo(), reaches: ['partitionInfo'] },
    VCPU_REGISTER: { call: (c) => c.vcpuRegister(0x4000), reaches: ['vcpuRegister'] },
    VIRQ_SET_UPCALL: { call: (c) => c.setUpcall(0x100), reaches: ['virqSetUpcall'] },
    VIRQ_RETURN: { call: (c) => c.virqReturn(), reaches: ['virqReturn'] },
    VIRQ_MASK: { call: (c) => c.mask(VirtualLine.TIMER), reaches: ['virqSetMasked'] },
    VIRQ_UNMASK: { call: (c) => c.unmask(VirtualLine.TIMER), reaches: ['virqSetMasked'] },
    VIRQ_ACK: { call: (c) => c.ack(VirtualLine.HW_BASE + 5), reaches: ['virqAck'] },
    VIRQ_DELIVER_PENDING: { call: (c) => c.deliverPending(), reaches: ['virqDeliverPending'] },
    VIRQ_SEND: { call: (c) => c.sendIpi(1, 0), reaches: ['virqSend'] },
    TIME_GET: { call: (c) => c.timeGet(0), reaches: ['timeGet'] },
    TIMER_SET: { call: (c) => c.timerSet(1_000_000, 0), reaches: ['timerSet'] },
    TIMER_CANCEL: { call: (c) => c.timerCancel(), reaches: ['timerCancel'] },
    IDLE: { call: (c) => c.idle(), reaches: ['idle'] },
    PARTITION_STATUS: { call: (c) => c.partitionStatus(), reaches: ['partitionStatus'] },
    SCHEDULE_STATUS: { call: (c) => c.scheduleStatus(), reaches: ['scheduleStatus'] },
    CONSOLE_WRITE: { call: (c) => c.consoleWrite(bytes('hi\n')), reaches: ['consoleWrite'] },
    PORT_CREATE: { call: (c) => c.portCreate(descriptor), reaches: ['portCreate'] },
    PORT_ID: { call: (c) => c.portId('out'), reaches: ['portId'] },
    SAMPLING_WRITE: { call: (c) => c.samplingWrite(0, bytes('m')), reaches: ['samplingWrite'] },
    SAMPLING_READ: { call: (c) => c.samplingRead(0, 16), reaches: ['samplingRead'] },
    QUEUING_SEND: { call: (c) => c.queuingSend(0, bytes('m')), reaches: ['queuingSend'] },
    QUEUING_RECEIVE: { call: (c) => c.queuingReceive(0, 16), reaches: ['queuingReceive'] },
    PORT_STATUS: { call: (c) => c.portStatus(0), reaches: ['portStatus'] },
    HM_RAISE: { call: (c) => c.hmRaise(ErrorCode.APPLICATION_ERROR, 'sensor lost'), reaches: ['hmRaise'] },
    HM_STATUS: { call: (c) => c.hmStatus(), reaches: ['hmStatus'] },
    HM_LOG_READ: { call: (c) => c.hmLogRead(0), reaches: ['hmLogRead'] },
    SET_PARTITION_MODE: { call: (c) => c.setPartitionMode(PartitionMode.NORMAL), reaches: ['setPartitionMode'] },
    SET_OTHER_PARTITION_MODE: { call: (c) => c.setOtherPartitionMode(1, PartitionMode.IDLE), reaches: ['setOtherPartitionMode'] },
    SET_MODULE_SCHEDULE: { call: (c) => c.setModuleSchedule(1), reaches: ['setModuleSchedule'] },
    MODULE_CONTROL: { call: (c) => c.moduleControl(ModuleAction.SHUTDOWN), reaches: ['moduleControl'] },
  };

  function setupRecording() {
    const platform = new SimplePlatform({ memorySize: 1 << 20 });
    const caller: HypercallCaller = { context: platform.createUserContext({ name: 'p0', physicalBase: 0x10000, size: 0x10000 }) };
    const accessed: Member[] = [];
    const dispatcher = new HypercallDispatcher(platform, platform.hypercallAbi, recordingBinding(accessed));
    const numbers: number[] = [];
    platform.installSupervisor((trap) => {
      if (trap.class !== 'hypercall') return 'return';
      const result = dispatcher.dispatch(caller);
      numbers.push(result.number);
      return result.outcome;
    });
    platform.enterUser(caller.context);
    const client = new HypercallClient(platform.processor, platform.hypercallAbi, SCRATCH, platform.board.memory.littleEndian);
    return { client, accessed, numbers };
  }

  it('lists every number of the Hypercall enum once in HYPERCALLS, under its own name', () => {
    expect(HYPERCALLS.map((spec) => spec.number).sort((x, y) => x - y)).toEqual(Object.values(Hypercall).sort((x, y) => x - y));
    for (const spec of HYPERCALLS) expect(Hypercall[spec.name as keyof typeof Hypercall], spec.name).toBe(spec.number);
  });

  it.each(HYPERCALLS.map((spec) => [spec.name, spec] as const))('%s', (name, spec) => {
    const { client, accessed, numbers } = setupRecording();
    cases[name as keyof typeof Hypercall].call(client);
    // One trap with this number; the binding saw exactly its members (no badHypercall: the arguments were valid).
    expect(numbers).toEqual([spec.number]);
    expect(accessed).toEqual(cases[name as keyof typeof Hypercall].reaches);
  });

  it('reaches every method of the binding but badHypercall through some hypercall', () => {
    const reached = new Set(Object.values(cases).flatMap((entry) => entry.reaches));
    const { client, accessed } = setupRecording();
    client.call(0xff);
    expect(accessed).toEqual(['badHypercall']);
    // Every method (a Record over the binding's members: a new method without a row does not compile).
    const methods: Record<Exclude<Member, 'hypervisorName' | 'hypervisorVersion' | 'features' | 'badHypercall'>, true> = {
      partitionInfo: true, vcpuRegister: true, virqSetUpcall: true, virqReturn: true, virqSetMasked: true, virqAck: true,
      virqDeliverPending: true, virqSend: true, timeGet: true, timerSet: true, timerCancel: true, idle: true, partitionStatus: true,
      scheduleStatus: true, consoleWrite: true, portCreate: true, portId: true, samplingWrite: true, samplingRead: true,
      queuingSend: true, queuingReceive: true, portStatus: true, hmRaise: true, hmStatus: true, hmLogRead: true,
      setPartitionMode: true, setOtherPartitionMode: true, setModuleSchedule: true, moduleControl: true,
    };
    for (const method of Object.keys(methods)) expect(reached, method).toContain(method);
  });
});

describe('the ARINC 653 enumerations', () => {
  it('are the objects @paravirt/machine defines once (cpukit re-exports the same)', () => {
    expect(PartitionMode).toBe(machine.OperatingMode);
    expect(StartCondition).toBe(machine.StartCondition);
    expect(PortDirection).toBe(machine.PortDirection);
    expect(PortKind).toBe(machine.PortKind);
    expect(Validity).toBe(machine.Validity);
    expect(QueuingDiscipline).toBe(machine.QueuingDiscipline);
    expect(ErrorCode).toBe(machine.ErrorCode);
  });

  it('give status codes 0-6 their ARINC RETURN_CODE_TYPE values, OK being NO_ERROR', () => {
    for (const [name, code] of Object.entries(machine.ReturnCode)) {
      if (typeof code !== 'number') continue;
      expect(Status[name === 'NO_ERROR' ? 'OK' : (name as keyof typeof Status)], name).toBe(code);
    }
  });

  it('name modes and error codes by value', () => {
    expect(PARTITION_MODE_NAMES.map((name) => PartitionMode[name])).toEqual([0, 1, 2, 3]);
    expect(ERROR_CODE_NAMES.map((name) => ErrorCode[name])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('the public surface', () => {
  it('is the contract only: no kernel machinery', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'API_VERSION',
        'BootRegister',
        'ERROR_CODE_NAMES',
        'ErrorCode',
        'HM_LOG_ENTRY',
        'HM_STATUS',
        'HW_LINE_COUNT',
        'HYPERCALLS',
        'Hypercall',
        'HypercallClient',
        'HypercallDispatcher',
        'IPI_LINE_COUNT',
        'MAX_BUFFER',
        'MAX_CONSOLE_WRITE',
        'MAX_NAME',
        'ModuleAction',
        'PARTITION_INFO',
        'PARTITION_MODE_NAMES',
        'PARTITION_STATUS',
        'PORT_DESCRIPTOR',
        'PORT_STATUS',
        'PartitionMode',
        'PortDirection',
        'PortKind',
        'QueuingDiscipline',
        'SAMPLING_INFO',
        'SCHEDULE_STATUS',
        'StartCondition',
        'Status',
        'TIMER_SPEC',
        'VCPU_MAGIC',
        'VCPU_PAGE_SIZE',
        'Validity',
        'VcpuPage',
        'VIRTUAL_LINE_COUNT',
        'VirtualLine',
        'decode',
        'decodeName',
        'deliveredOffset',
        'encode',
        'encodeU64',
        'hypercallName',
        'hypercallSpec',
        'isErrorCode',
        'isPartitionMode',
        'isStatus',
        'isValidLine',
        'layout',
        'lineName',
        'overrunOffset',
        'readU64',
        'statusName',
        'writeU64',
      ].sort(),
    );
  });
});
