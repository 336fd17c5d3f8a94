// corpus: a raw partition program whose virtual interrupt upcall throws an Error whose message getter throws
// expect: 0
// The kernel delivers the timer interrupt to the upcall, which throws: an HM event for the
// partition ("upcall threw: Error (its message cannot be read)"), never a host exception.
export default {
  kind: 'raw',
  name: 'raw-upcall-throws',
  description: 'an upcall that throws',
  create(machine) {
    const { processor, abi, hypercalls } = machine;
    const number = (name) => hypercalls.find((call) => call.name === name).number;
    const big = processor.arch === 'sparc';
    let base = 0;
    let phase = 0;
    const call = (name, ...args) => {
      processor.writeRegister(abi.numberRegister, number(name));
      abi.argumentRegisters.forEach((register, i) => processor.writeRegister(register, (args[i] ?? 0) >>> 0));
      processor.softwareTrap(abi.trapNumber);
      return processor.readRegister(abi.resultRegister);
    };
    return {
      boot() {
        base = processor.readRegister(abi.argumentRegisters[0]) >>> 0;
        machine.define(base + 0x3000, () => {
          const error = new Error('upcall');
          Object.defineProperty(error, 'message', {
            get() {
              throw error;
            },
          });
          throw error;
        });
      },
      next() {
        phase++;
        if (phase === 1) {
          call('VCPU_REGISTER', base + 0x2000);
          call('VIRQ_SET_UPCALL', base + 0x3000);
          call('VIRQ_UNMASK', 0);
          const spec = new Uint8Array(16);
          new DataView(spec.buffer).setUint32(4, 1_000_000, !big);
          processor.storeBytes(base + 0x1000, spec);
          call('TIMER_SET', base + 0x1000);
          processor.store(base + 0x2000 + 8, 4, 1); // vCPU page: virtual interrupts enabled
        }
        return 10_000;
      },
      preempted() {},
    };
  },
};
