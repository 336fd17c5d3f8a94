/**
 * The embedded default demo (`paravirt run` with no CONFIG): three RTEMS guests - hello,
 * ticker and base_sp - in three partitions of a POK-style kernel on the i386, for 40 s of
 * virtual time. The 2013 virtualpok proof of concept, finished.
 */
export const DEFAULT_DEMO = `# paravirt default demo: three RTEMS guests in POK partitions on the i386
name: demo
kernel: pok
arch: i386
duration: 40s
seed: 1
kernelTick: 1ms
schedules:
  - name: main
    majorFrame: 100ms
    windows:
      - { partition: hello,   start: 0ms,  duration: 20ms }
      - { partition: ticker,  start: 20ms, duration: 40ms }
      - { partition: base_sp, start: 60ms, duration: 40ms }
partitions:
  - { name: hello,   app: hello,   memory: 1MiB }
  - { name: ticker,  app: ticker,  memory: 1MiB }
  - { name: base_sp, app: base_sp, memory: 1MiB }
`;
