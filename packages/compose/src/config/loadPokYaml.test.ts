import { describe, expect, it } from 'vitest';
import { planKernel } from '../run/kernels.js';
import { DEFAULT_ARCH } from '../run/architectures.js';
import { loadConfig } from './loadConfig.js';

/** A POK config.yaml in the shape of POK's examples: no major_frame, POK's build-only keys, a target paravirt does not simulate. */
const pokStyle = `
target:
    arch: ppc
    bsp: prep
    nb_processors_number: 2
partitions:
    - name: sender
      features: [console, libc]
      mutexes: 1
      scheduler: static
      threads: { count: 2, features: [sleep] }
      size: 96kB
      objects: ["main.o"]
    - name: receiver
      threads: { count: 1 }
      size: "65536"
      objects: ["main.o"]
kernel:
    features: [debug]
    scheduler:
        slots:
            - { partition: sender, duration: 0.3s }
            - { partition: receiver, duration: "50000000" }
`;

describe("loadConfig: a POK config.yaml as POK's misc/gen_deployment reads it", () => {
  it('runs without a major_frame (the sum of the slots), on the default architecture', () => {
    const loaded = loadConfig(pokStyle);
    expect(loaded.errors).toEqual([]);
    expect(loaded.format).toBe('pok-yaml');
    const spec = loaded.spec!;
    expect(spec.arch).toBe(DEFAULT_ARCH);
    expect(spec.schedules).toHaveLength(1);
    expect(spec.schedules[0]!.majorFrame).toBe(350_000_000);
    expect(spec.schedules[0]!.windows).toEqual([
      { partition: 'sender', start: 0, duration: 300_000_000 },
      { partition: 'receiver', start: 300_000_000, duration: 50_000_000 },
    ]);
    expect(spec.partitions.map((partition) => [partition.name, partition.memory.size])).toEqual([
      ['sender', 96 * 1024],
      ['receiver', 65536],
    ]);
    expect(planKernel(spec).errors).toEqual([]);
    expect(loaded.warnings).toEqual([
      { path: 'target.arch', message: 'POK\'s "ppc" target is not simulated (paravirt has i386 and sparc): the module runs on the default architecture, or the one --arch names' },
      { path: 'target.nb_processors_number', message: 'POK runs this module on 2 processors; the simulated board has one, which every partition shares (processor_affinity is ignored)' },
    ]);
  });

  it("carries the reader's warnings next to its errors", () => {
    const loaded = loadConfig(pokStyle.replace('scheduler: static', 'scheduler: edf'));
    expect(loaded.errors).toEqual([{ path: 'partitions[0].scheduler', message: 'POK\'s thread schedulers are RR, RMS and STATIC, got "edf"' }]);
    expect(loaded.warnings?.map((warning) => warning.path)).toEqual(['target.arch', 'target.nb_processors_number']);
  });
});
