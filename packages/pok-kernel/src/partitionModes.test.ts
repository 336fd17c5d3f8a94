/**
 * SET_PARTITION_MODE on the POK-style kernel, against POK's pok_partition_set_mode
 * (kernel/core/partition.c) and pok_partition_set_mode_current (same file, reached by
 * POK_SYSCALL_PARTITION_SET_MODE, kernel/core/syscall.c). POK lets only two threads of a
 * partition change its mode: its main (init) thread - NORMAL - and its error-handler thread -
 * STOPPED, INIT_WARM, INIT_COLD. The kernel here sees no guest threads: the guest as a whole
 * calls, so it is taken as both - the main thread while it initialises (bsp-virtualpok sets
 * NORMAL when the Init task ends), the error thread afterwards (a fatal error, exit, a
 * restart request). What follows from that, one rule per test.
 */
import { SimplePlatform } from '@paravirt/machine/test';
import { PartitionMode, PortDirection, PortKind, StartCondition, Status } from '@paravirt/paravirt-api';
import { type GuestScript, scriptedGuest } from '@paravirt/kernel-core/test';
import { describe, expect, it } from 'vitest';
import type { PokConfig } from './config.js';
import { PokKernel } from './pokKernel.js';

const MS = 1_000_000;
const idle: GuestScript = function* () {};
const PORT = { kind: 'queuing', direction: 'source', maxMessageSize: 8, maxMessages: 4, refreshPeriod: 0, discipline: 'fifo' } as const;

function boot(a: GuestScript, onBoot?: () => void) {
  const platform = new SimplePlatform({ memorySize: 8 << 20 });
  const config: PokConfig = {
    kernelTick: MS,
    majorFrame: 100 * MS,
    slots: [
      { partition: 'a', duration: 40 * MS },
      { partition: 'b', duration: 60 * MS },
    ],
    partitions: [
      { name: 'a', memorySize: 1 << 20, system: false, ports: [{ name: 'out', ...PORT }], errorActions: {}, ipiTargets: [] },
      { name: 'b', memorySize: 1 << 20, system: false, ports: [], errorActions: {}, ipiTargets: [] },
    ],
    channels: [],
    routes: [],
    flush: 'major-frame',
  };
  const kernel = new PokKernel({ platform, config, guests: { a: scriptedGuest(a, onBoot ? { onBoot } : {}), b: scriptedGuest(idle) } });
  kernel.boot();
  return { kernel, a: kernel.partition('a')!, run: (until: number) => platform.board.runUntil(until) };
}

const out = { kind: PortKind.QUEUING, direction: PortDirection.SOURCE, maxMessageSize: 8, maxMessages: 4, refreshPeriodNs: 0, discipline: 0, name: 'out' };

describe('SET_PARTITION_MODE as POK\'s pok_partition_set_mode, the guest being its main and its error thread', () => {
  // pok_partition_set_mode has no case for POK_PARTITION_MODE_IDLE: a POK partition asking
  // for IDLE gets POK_ERRNO_PARTITION_MODE. POK stops a partition as STOPPED, asked by its
  // error thread (libpok/core/errorhandlerworker.c, pok_error_handler_worker, ends with
  // pok_partition_set_mode(POK_PARTITION_MODE_STOPPED)). The paravirt API has ARINC's IDLE
  // only, which every guest uses to stop itself (bsp-virtualpok's fatal error and exit), so
  // IDLE is taken as POK's STOPPED: a documented divergence, not a refusal.
  it('stops the partition on IDLE (POK\'s STOPPED from the error thread; POK itself refuses IDLE)', () => {
    const log: string[] = [];
    const { a, run } = boot(function* (env) {
      env.client.setPartitionMode(PartitionMode.IDLE);
      log.push('resumed');
    });
    run(200 * MS);
    expect(a.mode).toBe(PartitionMode.IDLE);
    expect(log).toEqual([]);
  });

  // pok_partition_set_mode, POK_PARTITION_MODE_INIT_WARM from POK_PARTITION_MODE_INIT_COLD:
  // POK_ERRNO_PARTITION_MODE (libpok/arinc653/partition.c SET_PARTITION_MODE: INVALID_MODE).
  // NORMAL: the main thread only, once - libpok answers NO_ACTION when the partition is
  // already in the mode asked for (POK's kernel would refuse: its main thread is stopped).
  it('refuses WARM_START during COLD_START (INVALID_MODE), enters NORMAL once (then NO_ACTION)', () => {
    const statuses: number[] = [];
    const { a, run } = boot(function* (env) {
      statuses.push(env.client.setPartitionMode(PartitionMode.WARM_START));
      statuses.push(env.client.setPartitionMode(PartitionMode.NORMAL));
      statuses.push(env.client.setPartitionMode(PartitionMode.NORMAL));
    });
    run(50 * MS);
    expect(statuses).toEqual([Status.INVALID_MODE, Status.OK, Status.NO_ACTION]);
    expect(a.mode).toBe(PartitionMode.NORMAL);
  });

  // pok_partition_set_mode, INIT_WARM / INIT_COLD from the error thread: the partition is
  // reloaded (pok_partition_reinit). libpok's SET_PARTITION_MODE answers COLD_START with
  // NOT_AVAILABLE without calling the kernel; that is the partition's library, cpukit here,
  // and the kernel call restarts. pok_partition_reinit keeps the ports ("FIXME: reset
  // queueing/sampling ports too"; pok_port_queueing_create answers a second creation OK) -
  // a divergence: here a restarted partition creates its ports again, empty, as ARINC 653
  // wants.
  it('restarts on WARM_START and COLD_START, with start condition PARTITION_RESTART, its ports forgotten', () => {
    const seen: string[] = [];
    let boots = 0;
    const { a, run } = boot(
      function* (env) {
        const status = env.client.partitionStatus().value!;
        const id = env.client.portId('out');
        seen.push(`boot ${boots}: mode ${status.mode}, condition ${status.startCondition}, port ${id.status}`);
        const created = env.client.portCreate(out);
        env.client.queuingSend(created.value!, Uint8Array.of(boots));
        env.client.setPartitionMode(PartitionMode.NORMAL);
        if (boots === 1) env.client.setPartitionMode(PartitionMode.WARM_START);
        else if (boots === 2) env.client.setPartitionMode(PartitionMode.COLD_START);
        else seen.push(`messages held: ${env.client.portStatus(created.value!).value!.messages}`);
      },
      () => boots++,
    );
    run(50 * MS);
    expect(seen).toEqual([
      `boot 1: mode ${PartitionMode.COLD_START}, condition ${StartCondition.NORMAL_START}, port ${Status.INVALID_CONFIG}`,
      `boot 2: mode ${PartitionMode.WARM_START}, condition ${StartCondition.PARTITION_RESTART}, port ${Status.INVALID_CONFIG}`,
      `boot 3: mode ${PartitionMode.COLD_START}, condition ${StartCondition.PARTITION_RESTART}, port ${Status.INVALID_CONFIG}`,
      'messages held: 1',
    ]);
    expect(a.restarts).toBe(2);
  });
});
