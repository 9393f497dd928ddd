import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FIELDS, TRAINING_FIELDS, type FieldTable } from '../../../engine/experiment/defaults';
import { buildReference } from '../../../engine/experiment/reference';
import { SLOTS, type Slot } from '../../../engine/experiment/slots';

const DOC_FILE = path.resolve(__dirname, '../../../docs/experiment-format.md');
if (process.env.UPDATE_DOCS) fs.writeFileSync(DOC_FILE, buildReference());
const doc = fs.readFileSync(DOC_FILE, 'utf8');

/** The text from a heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = doc.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0];
  const rest = doc.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next < 0 ? rest : rest.slice(0, next);
}

/** Every key of a table is a row (`| \`key\` |`), nested groups in their own sections. */
function expectKeys(text: string, table: FieldTable, where: string, heading: (key: string) => string): void {
  for (const [key, field] of Object.entries(table)) {
    expect(text, `${where}.${key}`).toContain(`| \`${key}\` |`);
    if (field.kind === 'object') expectKeys(section(heading(key)), field.fields, `${where}.${key}`, heading);
  }
}

describe('docs/experiment-format.md', () => {
  it('is up to date with the tables (regenerate: UPDATE_DOCS=1 npx vitest run test/unit/experiment/reference.test.ts)', () => {
    expect(doc).toBe(buildReference());
  });

  it.each(['data', 'layer', 'initializer', 'loss', 'optimizer', 'schedule', 'momentum_schedule'] as const)('lists every %s kind with every key', name => {
    const slot: Slot = SLOTS[name];
    // Kinds of two slots share names (linear: a layer and a schedule): look within the slot's part.
    const part = section(`## ${{ layer: 'model', initializer: 'init' }[name as string] ?? name}`);
    for (const kind of slot.kinds) {
      expect(part, `${name} ${kind}`).toContain(`### \`${kind}\``);
      const own = part.slice(part.indexOf(`### \`${kind}\``)).split(/\n### `/)[0];
      expect(own).toContain(slot.kindDocs[kind]);
      for (const key of Object.keys(slot.tables[kind])) expect(own, `${name} ${kind}.${key}`).toContain(`| \`${key}\` |`);
    }
  });

  it('lists every key of training (and of its parts) and of checkpoint', () => {
    expectKeys(section('## training'), TRAINING_FIELDS, 'training', key => `### \`training.${key}\``);
    expectKeys(section('## checkpoint'), CHECKPOINT_FIELDS, 'checkpoint', key => `### \`checkpoint.${key}\``);
  });

  it('says the defaults as the tables do', () => {
    expect(doc).toContain('| `lr` | number > 0 | **required** |');
    expect(doc).toContain('| `momentum` | number in [0, 1], or null | `0.1` |');
    expect(doc).toContain('| `norm_type` | number > 0, or "inf" | `2` |');
    expect(doc).toContain('| `betas` | [number, number], each in [0, 1) | `[0.9, 0.999]` |');
  });
});
