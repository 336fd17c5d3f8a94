/**
 * User text inside one-line messages (`error: <path>: <message>`): quoted, with every
 * control character and line break escaped, so no configuration value can split a line.
 */

/** Control characters and line breaks (C0, DEL, C1, U+2028/U+2029): never allowed in a name or a key. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The first control character or line break of `text`, as U+XXXX, or undefined if it has none. */
export function controlCharacter(text: string): string | undefined {
  const match = CONTROL.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** `text` in double quotes with every control character and line break escaped: safe inside a one-line message. */
export function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Makes any text one line: line breaks and control characters escaped (for messages of parsers we do not control). */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.trim().length > 0 ? escaped : '(no message)';
}

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
