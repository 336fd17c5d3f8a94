/**
 * Object names: four characters packed in a 32-bit number, first character in the
 * most significant byte (rtems_build_name). Directives take either the packed number
 * or a string of one to four Latin-1 characters, which is padded with spaces.
 */

/** An object name as directives accept it. */
export type ObjectName = number | string;

/** rtems_build_name('T', 'A', '1', ' '). Each argument is one character. */
export function buildName(c1: string, c2: string, c3: string, c4: string): number {
  const byte = (c: string): number => (c.length > 0 ? c.charCodeAt(0) & 0xff : 0);
  return ((byte(c1) << 24) | (byte(c2) << 16) | (byte(c3) << 8) | byte(c4)) >>> 0;
}

/**
 * The packed name of `name`, or undefined when it is not a valid name: not a 32-bit
 * number, 0 (rtems_is_name_valid), or a string that is empty, longer than four
 * characters or not Latin-1.
 */
export function packName(name: unknown): number | undefined {
  if (typeof name === 'number') {
    if (!Number.isSafeInteger(name) || name <= 0 || name > 0xffff_ffff) return undefined;
    return name;
  }
  if (typeof name !== 'string' || name.length === 0 || name.length > 4) return undefined;
  let packed = 0;
  for (let i = 0; i < 4; i++) {
    const code = i < name.length ? name.charCodeAt(i) : 0x20;
    if (code > 0xff) return undefined;
    packed = packed * 256 + code;
  }
  return packed === 0 ? undefined : packed;
}

/** The four characters of a packed name (RTEMS samples' put_name prints all four). */
export function nameToString(name: number): string {
  let text = '';
  for (let shift = 24; shift >= 0; shift -= 8) text += String.fromCharCode((name >>> shift) & 0xff);
  return text;
}
