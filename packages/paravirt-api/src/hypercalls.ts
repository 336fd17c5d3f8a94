/**
 * Hypercall numbers and their calling contract. Numbers are stable within an API_VERSION.
 * Arguments are 32-bit words in the ABI's argument registers (at most 5: the i386 ABI has
 * five argument registers); anything larger travels through the caller's own memory as an
 * (address, length) pair, validated by the dispatcher against the caller's protection
 * context in user mode. Results: the status in the result register, one result word in the
 * first extra result register.
 *
 * The table below is the reference (docs/paravirt-api.md is generated from the same data).
 */
export const Hypercall = {
  // Info
  INFO_API_VERSION: 0x00,
  INFO_HYPERVISOR: 0x01,
  INFO_PARTITION: 0x02,
  // Virtual CPU and virtual interrupts
  VCPU_REGISTER: 0x10,
  VIRQ_SET_UPCALL: 0x11,
  VIRQ_RETURN: 0x12,
  VIRQ_MASK: 0x13,
  VIRQ_UNMASK: 0x14,
  VIRQ_ACK: 0x15,
  VIRQ_DELIVER_PENDING: 0x16,
  VIRQ_SEND: 0x17,
  // Time
  TIME_GET: 0x20,
  TIMER_SET: 0x21,
  TIMER_CANCEL: 0x22,
  // Scheduling
  IDLE: 0x30,
  PARTITION_STATUS: 0x31,
  SCHEDULE_STATUS: 0x32,
  // Console
  CONSOLE_WRITE: 0x40,
  // Ports
  PORT_CREATE: 0x50,
  PORT_ID: 0x51,
  SAMPLING_WRITE: 0x52,
  SAMPLING_READ: 0x53,
  QUEUING_SEND: 0x54,
  QUEUING_RECEIVE: 0x55,
  PORT_STATUS: 0x56,
  // Health monitor
  HM_RAISE: 0x60,
  HM_STATUS: 0x61,
  HM_LOG_READ: 0x62,
  // Partition and module control
  SET_PARTITION_MODE: 0x70,
  SET_OTHER_PARTITION_MODE: 0x71,
  SET_MODULE_SCHEDULE: 0x72,
  MODULE_CONTROL: 0x73,
} as const;

export type Hypercall = (typeof Hypercall)[keyof typeof Hypercall];

const NUMBERS = new Set<number>(Object.values(Hypercall));

/** True for a number of the Hypercall enum (what the dispatcher has a handler for). */
export function isHypercall(number: number): number is Hypercall {
  return NUMBERS.has(number);
}

export type HypercallGroup = 'info' | 'vcpu' | 'time' | 'scheduling' | 'console' | 'ports' | 'health-monitor' | 'control';

export interface HypercallSpec {
  readonly number: Hypercall;
  readonly name: string;
  readonly group: HypercallGroup;
  /** Argument registers, in order. */
  readonly arguments: readonly string[];
  /** What the extra result word holds, if anything. */
  readonly result?: string;
  readonly description: string;
  /** Who may call it, when restricted. */
  readonly permission?: string;
}

/** Longest single console write; longer writes get INVALID_PARAM (the client splits). */
export const MAX_CONSOLE_WRITE = 4096;
/** Longest buffer any hypercall accepts (port messages, info structures). */
export const MAX_BUFFER = 65536;
/** Longest port or partition name. */
export const MAX_NAME = 32;

export const HYPERCALLS: readonly HypercallSpec[] = [
  { number: Hypercall.INFO_API_VERSION, name: 'INFO_API_VERSION', group: 'info', arguments: [], result: 'API_VERSION of the hypervisor', description: 'Which API version the hypervisor implements.' },
  { number: Hypercall.INFO_HYPERVISOR, name: 'INFO_HYPERVISOR', group: 'info', arguments: ['buffer', 'length'], result: 'bytes written', description: 'Hypervisor name, version and feature list as UTF-8 text "name version feature,feature".' },
  { number: Hypercall.INFO_PARTITION, name: 'INFO_PARTITION', group: 'info', arguments: ['buffer', 'length'], result: 'bytes written', description: 'The caller\'s identity and memory map (PartitionInfo structure).' },
  { number: Hypercall.VCPU_REGISTER, name: 'VCPU_REGISTER', group: 'vcpu', arguments: ['page address'], description: 'Places the shared vCPU page (VCPU_PAGE_SIZE bytes, aligned to it) in the caller\'s writable memory. The hypervisor initialises it: interrupts disabled, every line masked.' },
  { number: Hypercall.VIRQ_SET_UPCALL, name: 'VIRQ_SET_UPCALL', group: 'vcpu', arguments: ['entry address'], description: 'Registers the virtual interrupt upcall entry, an executable address of the caller. The upcall receives the line in the first argument register, with virtual interrupts disabled.' },
  { number: Hypercall.VIRQ_RETURN, name: 'VIRQ_RETURN', group: 'vcpu', arguments: [], description: 'Returns from an upcall: re-enables virtual interrupts (the IRET of the virtual CPU).' },
  { number: Hypercall.VIRQ_MASK, name: 'VIRQ_MASK', group: 'vcpu', arguments: ['line'], description: 'Masks a virtual line: raises latch as pending and are not delivered.' },
  { number: Hypercall.VIRQ_UNMASK, name: 'VIRQ_UNMASK', group: 'vcpu', arguments: ['line'], description: 'Unmasks a virtual line; a pending raise becomes deliverable.' },
  { number: Hypercall.VIRQ_ACK, name: 'VIRQ_ACK', group: 'vcpu', arguments: ['line'], description: 'End of interrupt for a routed hardware line: the hypervisor unmasks it at the controller.' },
  { number: Hypercall.VIRQ_DELIVER_PENDING, name: 'VIRQ_DELIVER_PENDING', group: 'vcpu', arguments: [], description: 'Made by the guest when it enables virtual interrupts and sees a pending unmasked line: deliver now.' },
  { number: Hypercall.VIRQ_SEND, name: 'VIRQ_SEND', group: 'vcpu', arguments: ['partition id', 'ipi number'], description: 'Raises inter-partition virtual interrupt IPI_BASE + n on another partition, if the configuration allows it.', permission: 'configured inter-partition interrupts' },
  { number: Hypercall.TIME_GET, name: 'TIME_GET', group: 'time', arguments: ['clock (0 system, 1 partition execution)', 'buffer (8 bytes)'], description: 'Writes a 64-bit nanosecond count (high word first, in the architecture\'s byte order).' },
  { number: Hypercall.TIMER_SET, name: 'TIMER_SET', group: 'time', arguments: ['spec address (TimerSpec, 16 bytes)'], description: 'Programs the partition\'s virtual timer: first expiry after a delay, then periodically (period 0 = one-shot). Expiries raise VirtualLine.TIMER; expiries that find it pending are counted as overruns.' },
  { number: Hypercall.TIMER_CANCEL, name: 'TIMER_CANCEL', group: 'time', arguments: [], description: 'Stops the virtual timer.' },
  { number: Hypercall.IDLE, name: 'IDLE', group: 'scheduling', arguments: [], description: 'Nothing to do until the next virtual interrupt: the rest of the window is idle (replaces HLT).' },
  { number: Hypercall.PARTITION_STATUS, name: 'PARTITION_STATUS', group: 'scheduling', arguments: ['buffer', 'length'], result: 'bytes written', description: 'The caller\'s PartitionStatus structure (ARINC GET_PARTITION_STATUS).' },
  { number: Hypercall.SCHEDULE_STATUS, name: 'SCHEDULE_STATUS', group: 'scheduling', arguments: ['buffer', 'length'], result: 'bytes written', description: 'ScheduleStatus: current and next schedule, time of the last switch.' },
  { number: Hypercall.CONSOLE_WRITE, name: 'CONSOLE_WRITE', group: 'console', arguments: ['buffer', 'length'], result: 'bytes written', description: `Writes bytes to the partition's console (at most ${MAX_CONSOLE_WRITE}).` },
  { number: Hypercall.PORT_CREATE, name: 'PORT_CREATE', group: 'ports', arguments: ['descriptor address', 'descriptor length'], result: 'port id', description: 'Creates (opens) a configured sampling or queuing port (PortDescriptor); attributes must match the configuration.' },
  { number: Hypercall.PORT_ID, name: 'PORT_ID', group: 'ports', arguments: ['name address', 'name length'], result: 'port id', description: 'The id of a port this partition created, by name.' },
  { number: Hypercall.SAMPLING_WRITE, name: 'SAMPLING_WRITE', group: 'ports', arguments: ['port id', 'buffer', 'length'], description: 'WRITE_SAMPLING_MESSAGE.' },
  { number: Hypercall.SAMPLING_READ, name: 'SAMPLING_READ', group: 'ports', arguments: ['port id', 'buffer', 'capacity', 'info address (SamplingInfo, 16 bytes)'], result: 'message length', description: 'READ_SAMPLING_MESSAGE: copies the message, writes its length, validity and age.' },
  { number: Hypercall.QUEUING_SEND, name: 'QUEUING_SEND', group: 'ports', arguments: ['port id', 'buffer', 'length'], description: 'SEND_QUEUING_MESSAGE without blocking: NOT_AVAILABLE when full (the guest blocks on PORT_UPDATED).' },
  { number: Hypercall.QUEUING_RECEIVE, name: 'QUEUING_RECEIVE', group: 'ports', arguments: ['port id', 'buffer', 'capacity'], result: 'message length', description: 'RECEIVE_QUEUING_MESSAGE without blocking: NOT_AVAILABLE when empty.' },
  { number: Hypercall.PORT_STATUS, name: 'PORT_STATUS', group: 'ports', arguments: ['port id', 'buffer', 'length'], result: 'bytes written', description: 'PortStatus structure (GET_*_PORT_STATUS).' },
  { number: Hypercall.HM_RAISE, name: 'HM_RAISE', group: 'health-monitor', arguments: ['error code', 'message address', 'message length'], description: 'RAISE_APPLICATION_ERROR / report DEADLINE_MISSED etc. to the health monitor; the configured action follows.' },
  { number: Hypercall.HM_STATUS, name: 'HM_STATUS', group: 'health-monitor', arguments: ['buffer', 'length'], result: 'bytes written', description: 'The caller\'s HM counters (HmStatus).' },
  { number: Hypercall.HM_LOG_READ, name: 'HM_LOG_READ', group: 'health-monitor', arguments: ['index', 'buffer', 'length'], result: 'bytes written', description: 'One HM log entry (HmLogEntry) by index.', permission: 'supervisor partitions' },
  { number: Hypercall.SET_PARTITION_MODE, name: 'SET_PARTITION_MODE', group: 'control', arguments: ['mode'], description: 'ARINC SET_PARTITION_MODE for the caller (IDLE stops it, COLD/WARM_START restart it, NORMAL ends initialisation).' },
  { number: Hypercall.SET_OTHER_PARTITION_MODE, name: 'SET_OTHER_PARTITION_MODE', group: 'control', arguments: ['partition id', 'mode'], description: 'Sets another partition\'s mode.', permission: 'system partitions / set-partition-mode' },
  { number: Hypercall.SET_MODULE_SCHEDULE, name: 'SET_MODULE_SCHEDULE', group: 'control', arguments: ['schedule id'], description: 'Requests a module schedule switch at the end of the current major frame.', permission: 'set-schedule' },
  { number: Hypercall.MODULE_CONTROL, name: 'MODULE_CONTROL', group: 'control', arguments: ['action (0 shutdown, 1 reset)'], description: 'Stops or resets the module.', permission: 'module control' },
];

const BY_NUMBER = new Map<number, HypercallSpec>(HYPERCALLS.map((spec) => [spec.number, spec]));

export function hypercallSpec(number: number): HypercallSpec | undefined {
  return BY_NUMBER.get(number);
}

export function hypercallName(number: number): string {
  return BY_NUMBER.get(number)?.name ?? `hypercall 0x${(number >>> 0).toString(16)}`;
}
