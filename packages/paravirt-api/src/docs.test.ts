import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HYPERCALLS } from './hypercalls.js';
import { Status } from './status.js';
import { API_VERSION } from './version.js';

const doc = readFileSync(new URL('../../../docs/paravirt-api.md', import.meta.url), 'utf8');

describe('docs/paravirt-api.md', () => {
  it('is the reference of this API_VERSION', () => {
    expect(doc.split('\n')[0]).toBe(`# The paravirtualization API (apiVersion ${API_VERSION})`);
    expect(doc).toContain(`This is \`API_VERSION\` ${API_VERSION}.`);
  });

  it.each(HYPERCALLS.map((h) => [h.name, h] as const))('documents %s with its number', (_name, h) => {
    expect(doc).toContain(`| 0x${h.number.toString(16).padStart(2, '0')} | \`${h.name}\` |`);
  });

  it.each(Object.entries(Status))('documents status %s', (name, code) => {
    expect(doc).toContain(`| ${code} | \`${name}\` |`);
  });
});
