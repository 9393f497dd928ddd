import { describe, expect, it } from 'vitest';
import { parse } from 'jsonc-parser';
import { applyQuickFix, minimalChange } from '../../../extension/findings/applyFix';

const formatting = { tabSize: 2, insertSpaces: true, eol: '\n' };
const text = `// a comment that must survive
{
  "optimizer": { "type": "sgd", "lr": 1000000 },
  "model": [ { "type": "linear", "out_features": 8 }, "relu", { "type": "linear" } ],
  "variants": {
    "fast": { "optimizer": { "lr": 10 } },
    "adam": { "optimizer": { "type": "adam" } }
  }
}
`;

describe('applying a quick fix to the experiment file', () => {
  it('sets the base key for a base run, keeping comments', () => {
    const out = applyQuickFix(text, { title: 'lr / 10', edits: [{ kind: 'set', path: ['optimizer', 'lr'], value: 100000 }] }, undefined, formatting);
    expect(out.startsWith('// a comment that must survive')).toBe(true);
    expect(parse(out).optimizer.lr).toBe(100000);
    expect(parse(out).variants.fast.optimizer.lr).toBe(10);
  });

  it('edits the variant where it sets the key itself', () => {
    const out = applyQuickFix(text, { title: 'lr / 10', edits: [{ kind: 'set', path: ['optimizer', 'lr'], value: 1 }] }, 'fast', formatting);
    expect(parse(out).variants.fast.optimizer.lr).toBe(1);
    expect(parse(out).optimizer.lr).toBe(1000000);
  });

  it('adds an override to a variant that inherits the key, leaving the base alone', () => {
    const out = applyQuickFix(text, { title: 'lr', edits: [{ kind: 'set', path: ['optimizer', 'lr'], value: 0.001 }] }, 'adam', formatting);
    const json = parse(out);
    expect(json.variants.adam.optimizer).toEqual({ type: 'adam', lr: 0.001 });
    expect(json.optimizer.lr).toBe(1000000);
  });

  it('inserts into the model list, edits in order (indices stay right when applied back to front)', () => {
    const fix = {
      title: 'batch norm',
      edits: [
        { kind: 'insert' as const, path: ['model', 1], value: { type: 'batch_norm' } },
      ],
    };
    const out = applyQuickFix(text, fix, undefined, formatting);
    expect(parse(out).model.map((l: { type?: string } | string) => (typeof l === 'string' ? l : l.type))).toEqual(['linear', 'batch_norm', 'relu', 'linear']);
  });

  it('creates a section the file does not have', () => {
    const out = applyQuickFix(text, { title: 'clip', edits: [{ kind: 'set', path: ['training', 'clip_grad_norm'], value: { max_norm: 1 } }] }, undefined, formatting);
    expect(parse(out).training).toEqual({ clip_grad_norm: { max_norm: 1 } });
  });

  it('reduces a change to the smallest replacement', () => {
    expect(minimalChange('abcXYZdef', 'abc12def')).toEqual({ offset: 3, length: 3, content: '12' });
    expect(minimalChange('same', 'same')).toEqual({ offset: 4, length: 0, content: '' });
  });
});
