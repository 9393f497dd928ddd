import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { aboutOf, core } from '../../../engine/core/options';
import { buildReference } from '../../../engine/experiment/reference';
import { SECTIONS } from '../../../engine/experiment/sections';
import { FAMILIES, kindDoc, optionsOf } from './families';

const DOC_FILE = path.resolve(__dirname, '../../../docs/experiment-format.md');
const doc = fs.readFileSync(DOC_FILE, 'utf8');
const template = fs.readFileSync(path.resolve(__dirname, '../../../docs/experiment-format.template.md'), 'utf8');

/** The text from a heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = doc.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0];
  const rest = doc.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

/** Every key of a group is a row (`| \`key\` |`), nested groups in their own sections. */
function expectKeys(text: string, group: z.ZodType, where: string, heading: (key: string) => string): void {
  for (const [key, option] of Object.entries((core(group) as z.ZodObject).shape as Record<string, z.ZodType>)) {
    expect(text, `${where}.${key}`).toContain(`| \`${key}\` |`);
    if (core(option)._zod.def.type === 'object' && !aboutOf(option).initPair) expectKeys(section(heading(key)), option, `${where}.${key}`, heading);
  }
}

describe('docs/experiment-format.md', () => {
  it('is the one the build generates from the format\'s schemas (`npm run build` rewrites it)', () => {
    expect(doc).toBe(buildReference(template));
  });

  it.each(['data', 'layer', 'initializer', 'loss', 'optimizer', 'schedule', 'momentum_schedule'] as const)('lists every %s kind with every key', name => {
    const family = FAMILIES[name];
    // Kinds of two families share names (linear: a layer and a schedule): look within the family's part.
    const part = section(`## ${{ layer: 'model', initializer: 'init' }[name as string] ?? name}`);
    for (const kind of family.types) {
      expect(part, `${name} ${kind}`).toContain(`### \`${kind}\``);
      const own = part.slice(part.indexOf(`### \`${kind}\``)).split(/\n### `/)[0];
      expect(own).toContain(kindDoc(family, kind));
      for (const key of Object.keys(optionsOf(family, kind))) expect(own, `${name} ${kind}.${key}`).toContain(`| \`${key}\` |`);
    }
  });

  it('lists every key of training (and of its parts) and of checkpoint', () => {
    expectKeys(section('## training'), SECTIONS.training, 'training', key => `### \`training.${key}\``);
    expectKeys(section('## checkpoint'), SECTIONS.checkpoint, 'checkpoint', key => `### \`checkpoint.${key}\``);
  });

  it('says the types and defaults as the options do', () => {
    expect(doc).toContain('| `lr` | number > 0 | **required** |');
    expect(doc).toContain('| `momentum` | number in [0, 1], or null | `0.1` |');
    expect(doc).toContain('| `norm_type` | number > 0, or "inf" | `2` |');
    expect(doc).toContain('| `betas` | [number, number], each in [0, 1) | `[0.9, 0.999]` |');
  });
});
