// corpus: a raw partition program that programs its virtual timer with a 1 ns period, then with expiries past the end of virtual time
// expect: 0
// A 1 ns period expires a million times per kernel tick: the kernel counts them without
// looping per expiry (the overrun counter says how many). Expiries and periods past 2^53 ns
// are INVALID_PARAM. The program writes the statuses it got to its console.
export default {
  kind: 'raw',
  name: 'raw-timer-extreme',
  description: 'virtual timer with extreme values',
  create(machine) {
    const { processor, abi, hypercalls } = machine;
    const number = (name) => hypercalls.find((call) => call.name === name).number;
    const big = processor.arch === 'sparc';
    let base = 0;
    let phase = 0;
    const statuses = [];
    const call = (name, ...args) => {
      processor.writeRegister(abi.numberRegister, number(name));
      abi.argumentRegisters.forEach((register, i) => processor.writeRegister(register, (args[i] ?? 0) >>> 0));
      processor.softwareTrap(abi.trapNumber);
      return processor.readRegister(abi.resultRegister);
    };
    const timerSet = (first, period) => {
      const bytes = new Uint8Array(16);
      const view = new DataView(bytes.buffer);
      [first, period].forEach((value, i) => {
        view.setUint32(8 * i, Math.floor(value / 2 ** 32) >>> 0, !big);
        view.setUint32(8 * i + 4, value >>> 0, !big);
      });
      processor.storeBytes(base + 0x1000, bytes);
      return call('TIMER_SET', base + 0x1000);
    };
    const write = (text) => {
      const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
      processor.storeBytes(base + 0x2000, bytes);
      call('CONSOLE_WRITE', base + 0x2000, bytes.length);
    };
    return {
      boot() {
        base = processor.readRegister(abi.argumentRegisters[0]) >>> 0;
      },
      next() {
        phase++;
        if (phase === 1) statuses.push(timerSet(1, 1));
        if (phase === 2) statuses.push(timerSet(2 ** 63, 0), timerSet(2 ** 53, 0), timerSet(1, 2 ** 60), timerSet(2 ** 64 - 2 ** 12, 2 ** 64 - 2 ** 12));
        if (phase === 3) write(`timer statuses ${statuses.join(' ')}\n`);
        if (phase === 4) statuses.push(timerSet(1, 1));
        return phase < 4 ? 1000 : 100_000;
      },
      preempted() {},
    };
  },
};
