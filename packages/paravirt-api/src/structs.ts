/**
 * Structures that cross the guest/hypervisor boundary through memory, with a fixed layout:
 * 32-bit words and 64-bit counts (high word first) in the architecture's byte order,
 * names as NUL-padded fixed-size byte arrays. One field list per structure drives both
 * encoding and decoding, so guest and host cannot disagree.
 */

export type FieldType = 'u32' | 'u64' | `name${number}`;

export interface StructLayout<T> {
  readonly name: string;
  readonly fields: ReadonlyArray<readonly [keyof T & string, FieldType]>;
  readonly size: number;
}

function sizeOf(type: FieldType): number {
  if (type === 'u32') return 4;
  if (type === 'u64') return 8;
  return Number(type.slice(4));
}

export function layout<T>(name: string, fields: ReadonlyArray<readonly [keyof T & string, FieldType]>): StructLayout<T> {
  return { name, fields, size: fields.reduce((sum, [, type]) => sum + sizeOf(type), 0) };
}

type Scalar = number | string;

export function encode<T extends Record<string, Scalar>>(struct: StructLayout<T>, value: T, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(struct.size);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const [field, type] of struct.fields) {
    const data = value[field];
    if (type === 'u32') view.setUint32(offset, Number(data) >>> 0, littleEndian);
    else if (type === 'u64') {
      const n = Math.max(0, Math.floor(Number(data)));
      writeU64(view, offset, n, littleEndian);
    } else {
      const text = new TextEncoder().encode(String(data));
      bytes.set(text.subarray(0, sizeOf(type)), offset);
    }
    offset += sizeOf(type);
  }
  return bytes;
}

/** Decodes a structure; returns undefined when `bytes` is too short. */
export function decode<T extends Record<string, Scalar>>(struct: StructLayout<T>, bytes: Uint8Array, littleEndian: boolean): T | undefined {
  if (bytes.length < struct.size) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, Scalar> = {};
  let offset = 0;
  for (const [field, type] of struct.fields) {
    if (type === 'u32') out[field] = view.getUint32(offset, littleEndian);
    else if (type === 'u64') out[field] = readU64(view, offset, littleEndian);
    else out[field] = decodeName(bytes.subarray(offset, offset + sizeOf(type)));
    offset += sizeOf(type);
  }
  return out as T;
}

/** 64-bit value as two words, high word first; exact up to 2^53. */
export function writeU64(view: DataView, offset: number, value: number, littleEndian: boolean): void {
  view.setUint32(offset, Math.floor(value / 2 ** 32) >>> 0, littleEndian);
  view.setUint32(offset + 4, value >>> 0, littleEndian);
}

export function readU64(view: DataView, offset: number, littleEndian: boolean): number {
  return view.getUint32(offset, littleEndian) * 2 ** 32 + view.getUint32(offset + 4, littleEndian);
}

export function encodeU64(value: number, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(8);
  writeU64(new DataView(bytes.buffer), 0, value, littleEndian);
  return bytes;
}

/** Text up to the first NUL; invalid UTF-8 is replaced, never thrown. */
export function decodeName(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder('utf-8', { fatal: false }).decode(end >= 0 ? bytes.subarray(0, end) : bytes);
}

export interface PartitionInfo extends Record<string, Scalar> {
  partitionId: number;
  name: string;
  /** First virtual address of the partition's memory and its size. */
  memoryBase: number;
  memorySize: number;
  /** Kernel tick and the partition's period/duration in ns. */
  kernelTickNs: number;
  periodNs: number;
  durationNs: number;
  /** 1 for a system partition. */
  system: number;
}

export const PARTITION_INFO = layout<PartitionInfo>('PartitionInfo', [
  ['partitionId', 'u32'],
  ['name', 'name32'],
  ['memoryBase', 'u32'],
  ['memorySize', 'u32'],
  ['kernelTickNs', 'u64'],
  ['periodNs', 'u64'],
  ['durationNs', 'u64'],
  ['system', 'u32'],
]);

export interface TimerSpec extends Record<string, Scalar> {
  firstNs: number;
  periodNs: number;
}

export const TIMER_SPEC = layout<TimerSpec>('TimerSpec', [
  ['firstNs', 'u64'],
  ['periodNs', 'u64'],
]);

export interface PortDescriptor extends Record<string, Scalar> {
  kind: number; // PortKind
  direction: number; // PortDirection
  maxMessageSize: number;
  /** Queuing: capacity in messages; sampling: ignored. */
  maxMessages: number;
  /** Sampling: refresh period in ns (validity); queuing: ignored. */
  refreshPeriodNs: number;
  /** Queuing: FIFO or PRIORITY discipline for blocked processes. */
  discipline: number;
  name: string;
}

export const PORT_DESCRIPTOR = layout<PortDescriptor>('PortDescriptor', [
  ['kind', 'u32'],
  ['direction', 'u32'],
  ['maxMessageSize', 'u32'],
  ['maxMessages', 'u32'],
  ['refreshPeriodNs', 'u64'],
  ['discipline', 'u32'],
  ['name', 'name32'],
]);

export interface SamplingInfo extends Record<string, Scalar> {
  length: number;
  validity: number; // Validity
  ageNs: number;
}

export const SAMPLING_INFO = layout<SamplingInfo>('SamplingInfo', [
  ['length', 'u32'],
  ['validity', 'u32'],
  ['ageNs', 'u64'],
]);

export interface PortStatus extends Record<string, Scalar> {
  kind: number;
  direction: number;
  maxMessageSize: number;
  maxMessages: number;
  /** Queuing: messages waiting; sampling: 1 if a message is present. */
  messages: number;
  /** Sampling: validity of the last message; queuing: 1 if the queue overflowed since the last receive. */
  flags: number;
  refreshPeriodNs: number;
  lastWriteNs: number;
}

export const PORT_STATUS = layout<PortStatus>('PortStatus', [
  ['kind', 'u32'],
  ['direction', 'u32'],
  ['maxMessageSize', 'u32'],
  ['maxMessages', 'u32'],
  ['messages', 'u32'],
  ['flags', 'u32'],
  ['refreshPeriodNs', 'u64'],
  ['lastWriteNs', 'u64'],
]);

export interface PartitionStatus extends Record<string, Scalar> {
  partitionId: number;
  mode: number; // PartitionMode
  /** ARINC START_CONDITION: 0 normal start, 1 partition restart, 2 HM module restart, 3 HM partition restart. */
  startCondition: number;
  restarts: number;
  periodNs: number;
  durationNs: number;
}

export const PARTITION_STATUS = layout<PartitionStatus>('PartitionStatus', [
  ['partitionId', 'u32'],
  ['mode', 'u32'],
  ['startCondition', 'u32'],
  ['restarts', 'u32'],
  ['periodNs', 'u64'],
  ['durationNs', 'u64'],
]);

export interface ScheduleStatus extends Record<string, Scalar> {
  currentSchedule: number;
  nextSchedule: number;
  lastSwitchNs: number;
  majorFrameNs: number;
}

export const SCHEDULE_STATUS = layout<ScheduleStatus>('ScheduleStatus', [
  ['currentSchedule', 'u32'],
  ['nextSchedule', 'u32'],
  ['lastSwitchNs', 'u64'],
  ['majorFrameNs', 'u64'],
]);

export interface HmStatus extends Record<string, Scalar> {
  events: number;
  lastError: number; // ErrorCode, or 0xffffffff for none
  lastAction: number;
  lastEventNs: number;
}

export const HM_STATUS = layout<HmStatus>('HmStatus', [
  ['events', 'u32'],
  ['lastError', 'u32'],
  ['lastAction', 'u32'],
  ['lastEventNs', 'u64'],
]);

export interface HmLogEntry extends Record<string, Scalar> {
  timeNs: number;
  partitionId: number;
  error: number;
  level: number;
  action: number;
  detail: string;
}

export const HM_LOG_ENTRY = layout<HmLogEntry>('HmLogEntry', [
  ['timeNs', 'u64'],
  ['partitionId', 'u32'],
  ['error', 'u32'],
  ['level', 'u32'],
  ['action', 'u32'],
  ['detail', 'name64'],
]);
