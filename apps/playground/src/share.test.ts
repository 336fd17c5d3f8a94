import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO } from '@paravirt/compose';
import { decodeShare, encodeShare, fromBase64Url, toBase64Url } from './share.js';

describe('share links', () => {
  it('round-trips the config and the choices, byte for byte', async () => {
    const run = { config: DEFAULT_DEMO, kernel: 'air', arch: 'sparc', duration: '10s', seed: '42', apps: 'hello=ticker ticker=hello' };
    const hash = await encodeShare(run);
    expect(hash).toMatch(/^#run=[A-Za-z0-9_-]+$/);
    expect(await decodeShare(hash)).toEqual(run);
    expect(await decodeShare(hash.slice(1))).toEqual(run);
  });

  it('carries the Modules area: names and sources, byte for byte (old links without modules still open)', async () => {
    const modules = [
      { name: 'ported-test.mjs', source: readFileSync(resolve(import.meta.dirname, '../../../examples/modules/ported-test.mjs'), 'utf8') },
      { name: 'loop.mjs', source: "export default { name: 'loop', description: 'é 漢字', *init() { for (;;) {} } };\r\n" },
    ];
    const run = { config: DEFAULT_DEMO, kernel: 'air', arch: '', duration: '1s', seed: '', apps: 'hello=./ported-test.mjs', modules };
    const hash = await encodeShare(run);
    expect(await decodeShare(hash)).toEqual(run);
    // No modules: none in the link, none read back.
    const plain = { ...run, modules: [] };
    const { modules: _none, ...withoutModules } = plain;
    expect(await decodeShare(await encodeShare(plain))).toEqual(withoutModules);
    expect((await encodeShare(plain)).length).toBeLessThan(hash.length);
  });

  it('keeps any text: non-ASCII, control characters, CRLF, an empty config', async () => {
    for (const config of ['name: é ü 漢字 🚀\r\n\tkernel: pok\u0000\u001b[31m', '', 'x'.repeat(100_000)]) {
      const run = { config, kernel: '', arch: '', duration: '', seed: '', apps: '' };
      expect(await decodeShare(await encodeShare(run))).toEqual(run);
    }
  });

  it('compresses: the default demo fits a short link', async () => {
    expect((await encodeShare({ config: DEFAULT_DEMO, kernel: '', arch: '', duration: '', seed: '', apps: '' })).length).toBeLessThan(DEFAULT_DEMO.length);
  });

  it('gives undefined for a fragment that holds no run or a damaged one', async () => {
    expect(await decodeShare('')).toBeUndefined();
    expect(await decodeShare('#other=1')).toBeUndefined();
    expect(await decodeShare('#run=!!!')).toBeUndefined();
    expect(await decodeShare('#run=AAAA')).toBeUndefined();
  });

  it('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect(fromBase64Url(text)).toEqual(bytes);
  });
});
