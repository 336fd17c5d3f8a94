import { describe, expect, it } from 'vitest';
import { MAX_NAME } from '@paravirt/paravirt-api';
import { type PartitionResources, type PortConfig, PORT_SLOT_BYTES, portBufferBytes, validatePartitionResources } from './moduleResources.js';

const queuing = (name: string, maxMessageSize: number, maxMessages: number): PortConfig => ({ name, kind: 'queuing', direction: 'source', maxMessageSize, maxMessages, refreshPeriod: 0 });
const sampling = (name: string, maxMessageSize: number): PortConfig => ({ name, kind: 'sampling', direction: 'source', maxMessageSize, maxMessages: 1, refreshPeriod: 1_000_000 });
const partition = (memorySize: number, ports: PortConfig[]): PartitionResources => ({ name: 'p', memorySize, ports });

describe('port buffers', () => {
  it('a port holds its capacity in messages (a sampling port two), each rounded up to 8 bytes plus a 16-byte slot, as AIR sizes its workspace', () => {
    expect(PORT_SLOT_BYTES).toBe(16);
    expect(portBufferBytes(queuing('q', 32, 4))).toBe(4 * (32 + 16));
    expect(portBufferBytes(queuing('q', 1, 1))).toBe(8 + 16);
    expect(portBufferBytes(sampling('s', 13))).toBe(2 * (16 + 16));
    expect(portBufferBytes(queuing('q', 65_536, 65_536))).toBe(65_536 * 65_552);
  });

  it('count against the partition memory: 200 queuing ports of 65536 x 65536 bytes do not fit 64 KiB', () => {
    const ports = Array.from({ length: 200 }, (_, i) => queuing(`q${i}`, 65_536, 65_536));
    const errors = validatePartitionResources([partition(65_536, ports)], []);
    const need = 200 * 65_536 * 65_552;
    expect(errors).toEqual([
      {
        path: 'partitions[0].ports',
        message: `the kernel's buffers for partition p's ports need ${need} bytes, ${need - 65_536} more than its 65536 bytes of memory (a port holds maxMessages messages, a sampling port 2, each maxMessageSize rounded up to 8 bytes plus a 16-byte slot)`,
      },
    ]);
  });

  it('exactly the partition memory fits; one byte more does not', () => {
    const fits = queuing('q', 48, 1024); // 1024 x 64 = 65536
    expect(validatePartitionResources([partition(65_536, [fits])], [])).toEqual([]);
    expect(validatePartitionResources([partition(65_536, [queuing('q', 49, 1024)])], [])[0]?.path).toBe('partitions[0].ports');
  });
});

describe('port names', () => {
  it('must fit the PortDescriptor: at most 32 UTF-8 bytes, no NUL', () => {
    expect(MAX_NAME).toBe(32);
    expect(validatePartitionResources([partition(1 << 20, [queuing('x'.repeat(32), 8, 1)])], [])).toEqual([]);
    expect(validatePartitionResources([partition(1 << 20, [queuing('x'.repeat(33), 8, 1)])], [])).toEqual([
      { path: 'partitions[0].ports[0].name', message: `"${'x'.repeat(33)}" is 33 bytes; a port is created by a name of at most 32 bytes (the PortDescriptor's name field)` },
    ]);
    // 11 three-byte characters are 33 bytes.
    expect(validatePartitionResources([partition(1 << 20, [queuing('€'.repeat(11), 8, 1)])], [])[0]?.path).toBe('partitions[0].ports[0].name');
    expect(validatePartitionResources([partition(1 << 20, [queuing('a\0b', 8, 1)])], [])[0]?.message).toMatch(/NUL/);
  });
});
