// corpus: an ISR-context timer routine throws an Error whose message and name getters throw
// expect: 0
// GUEST_EXCEPTION with "Error (its message cannot be read)": the formatter reads the getters once, guarded.
export default {
  name: 'throw-message-getter',
  description: 'a timer routine throws an Error with throwing getters',
  configuration: { maximumTimers: 1 },
  *init(rtems) {
    const { id } = rtems.timerCreate('TMR');
    rtems.timerFireAfter(id, 3, () => {
      const error = new TypeError('hidden');
      Object.defineProperty(error, 'message', {
        get() {
          throw error;
        },
      });
      Object.defineProperty(error, 'name', {
        get() {
          throw error;
        },
      });
      throw error;
    });
    yield* rtems.taskWakeAfter(100);
  },
};
