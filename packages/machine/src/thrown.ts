/**
 * One line about a value guest code threw, for fatal-error messages, health-monitor
 * details and traces. Guest code can throw anything: an Error, a string of any length,
 * a Symbol, null, an object without a prototype, a Proxy whose every trap throws, an
 * Error whose `name` or `message` getter throws or returns something that is not a
 * string. Describing it must never throw, never run guest code that could grow the
 * result (no String(value), no toString, no template literal on the value), and never
 * produce more than `limit` characters (plus the ellipsis).
 *
 * What it reads: typeof (never throws), `instanceof Error` (may run a Proxy's
 * getPrototypeOf trap: guarded), and an Error's own `name` and `message` (may run a
 * getter: guarded, and used only when they are strings).
 */

/** Characters of a description kept by default. */
export const THROWN_DESCRIPTION_LIMIT = 200;

/** Beyond this magnitude a bigint is not printed (its decimal form would be long to make). */
const BIGINT_SHOWN = 10n ** 40n;

/**
 * A bounded one-line description of `value`; never throws. An Error reads `Name: message`
 * (`RangeError: bad routine`), anything else `thrown <value>` (`thrown "text"`,
 * `thrown 42`, `thrown null`, `thrown Symbol(x)`, `thrown an object that is not an Error`).
 */
export function describeThrown(value: unknown, limit: number = THROWN_DESCRIPTION_LIMIT): string {
  let text: string;
  try {
    text = describe(value, limit);
  } catch {
    text = 'thrown a value that cannot be inspected';
  }
  return clip(text, limit);
}

/** The engine's own getter of an Error's `stack`, where it is an accessor (Chromium); undefined where it is data (Node). */
const ENGINE_STACK_GETTER: ((this: unknown) => unknown) | undefined = (() => {
  try {
    const descriptor: PropertyDescriptor | undefined = Object.getOwnPropertyDescriptor(new Error(), 'stack');
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity and called with .call(error)
    return descriptor?.get;
  } catch {
    return undefined;
  }
})();

/** Characters of a thrown Error's stack kept by thrownStack (its frames are near its start). */
export const THROWN_STACK_LIMIT = 16 * 1024;

/**
 * The stack text of a thrown Error, for mapping it to the guest's own source (a runner's
 * `file:line:col`); undefined for anything else. Read as describeThrown reads an Error:
 * only an own data property `stack` that is a string (V8's in Node), or the engine's own
 * accessor (Chromium's), through its descriptor, so a getter the guest defined is never run;
 * guarded, and cut to `limit` characters.
 */
export function thrownStack(value: unknown, limit: number = THROWN_STACK_LIMIT): string | undefined {
  try {
    if (typeof value !== 'object' || value === null || !isError(value)) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(value, 'stack');
    let stack: unknown = descriptor?.value;
    // Chromium's V8 makes `stack` an own accessor, one getter shared by every Error: that one
    // (and only that one: a getter the guest defined is never run) is read.
    if (descriptor !== undefined && !('value' in descriptor) && descriptor.get !== undefined && descriptor.get === ENGINE_STACK_GETTER) stack = descriptor.get.call(value);
    return typeof stack === 'string' ? stack.slice(0, limit) : undefined;
  } catch {
    return undefined;
  }
}

/** First `limit` characters of `text` on one line, with an ellipsis when cut. */
function clip(text: string, limit: number): string {
  const cut = text.length > limit;
  // eslint-disable-next-line no-control-regex
  const line = (cut ? text.slice(0, limit) : text).replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  return cut ? `${line}...` : line;
}

function describe(value: unknown, limit: number): string {
  if (typeof value === 'object' && value !== null) return isError(value) ? describeError(value, limit) : 'thrown an object that is not an Error';
  return `thrown ${describeValue(value, limit)}`;
}

/**
 * A bounded one-line description of any value guest code handed over (a yielded step, an
 * argument), without `thrown`: `42`, `"text"`, `Symbol(x)`, `null`, `an object`, `a
 * function`. Never throws, never runs guest code (an object is not looked into).
 */
export function describeGuestValue(value: unknown, limit: number = THROWN_DESCRIPTION_LIMIT): string {
  let text: string;
  try {
    text = describeValue(value, limit);
  } catch {
    text = 'a value that cannot be inspected';
  }
  return clip(text, limit);
}

function describeValue(value: unknown, limit: number): string {
  switch (typeof value) {
    case 'string':
      return `"${value.slice(0, limit)}${value.length > limit ? '...' : ''}"`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return value < BIGINT_SHOWN && value > -BIGINT_SHOWN ? `${value.toString()}n` : `a bigint of more than 40 digits`;
    case 'symbol': {
      const description = readSymbolDescription(value);
      return description === undefined ? 'Symbol()' : `Symbol(${description.slice(0, limit)})`;
    }
    case 'function':
      return 'a function';
    case 'object':
      return value === null ? 'null' : 'an object';
  }
  return 'a value';
}

function readSymbolDescription(symbol: symbol): string | undefined {
  const description = symbol.description;
  return typeof description === 'string' ? description : undefined;
}

function isError(value: object): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

function describeError(error: Error, limit: number): string {
  const name = readString(() => error.name, limit) ?? 'Error';
  const message = readString(() => error.message, limit);
  if (message === undefined) return `${name} (its message cannot be read)`;
  return message === '' ? name : `${name}: ${message}`;
}

/** A property that must be a string, cut to `limit`; undefined when reading it throws or it is not a string. */
function readString(read: () => unknown, limit: number): string | undefined {
  try {
    const value = read();
    return typeof value === 'string' ? value.slice(0, limit + 1) : undefined;
  } catch {
    return undefined;
  }
}
