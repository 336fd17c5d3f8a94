/**
 * Text that reaches the user's terminal from outside: config keys and names in `error:`
 * lines, `check` output, messages of a user module's errors. Control characters (C0 other
 * than tab, DEL, the C1 range where 0x9B is an 8-bit CSI) would let a file or a module
 * drive the terminal, and a newline would break the one-line error contract: both are
 * shown as `\xNN`. Long text is cut, so one line stays one readable line.
 */
export const isControl = (code: number): boolean => (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f);

/** `text` with every control character (newline included) as `\xNN`, cut to `max` characters. */
export function printable(text: string, max = 1000): string {
  const cut = text.length > max ? `${text.slice(0, max)}... (${text.length - max} more characters)` : text;
  let out = '';
  for (const char of cut) {
    const code = char.codePointAt(0)!;
    out += isControl(code) ? `\\x${code.toString(16).padStart(2, '0')}` : char;
  }
  return out;
}

/** Lines a user module printed on the host's console (console.log), apart from partition consoles: `module: ` lines, escaped. */
export function moduleOutput(text: string): string {
  return text
    .split('\n')
    .filter((line, index, lines) => line !== '' || index < lines.length - 1)
    .map((line) => `module: ${printable(line)}\n`)
    .join('');
}
