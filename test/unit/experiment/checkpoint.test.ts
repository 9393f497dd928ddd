import { describe, expect, it } from 'vitest';
import { brief, keyAt, MINIMAL, parse, textOf, valueAt } from './helpers';

function run(extra: object): { t: string; problems: string[] } {
  const t = textOf({ ...MINIMAL, ...extra });
  return { t, problems: brief(parse(t)) };
}

describe('checkpoint', () => {
  it('resolves with its defaults; absent or null is none', () => {
    const spec = (checkpoint: unknown) => parse(textOf({ ...MINIMAL, checkpoint })).resolve()?.spec.checkpoint;
    expect(spec({ save: 'ckpt/run.safetensors' })).toEqual({ save: 'ckpt/run.safetensors', load_mode: 'weights', save_every: 0, save_optimizer: true });
    expect(spec({ load: 'w.safetensors', load_mode: 'resume', save: 'w.safetensors', save_every: 5 })).toEqual({
      load: 'w.safetensors',
      load_mode: 'resume',
      save: 'w.safetensors',
      save_every: 5,
      save_optimizer: true,
    });
    expect(spec(null)).toBeUndefined();
    expect(parse(textOf(MINIMAL)).resolve()!.spec.checkpoint).toBeUndefined();
  });

  it('resume needs a file to load; save_every needs a file to save to', () => {
    const { t, problems } = run({ checkpoint: { load_mode: 'resume', save_every: 2 } });
    expect(problems).toEqual([
      `${valueAt(t, 'load_mode')} error: load_mode 'resume' needs 'load': the checkpoint file to resume from`,
      `${valueAt(t, 'save_every')} error: save_every needs 'save': the file to write the checkpoints to`,
    ]);
  });

  it('paths are relative to the experiment file; a file not named .safetensors is a warning', () => {
    const { t, problems } = run({ checkpoint: { load: '/etc/weights.safetensors', save: 'model.pt', lod: 'x' } });
    expect(problems).toEqual([
      `${valueAt(t, 'load')} error: 'load' must be relative to this experiment file's folder, not absolute ('/etc/weights.safetensors')`,
      `${valueAt(t, 'save')} warning: 'save' names a safetensors file; 'model.pt' does not end in .safetensors`,
      `${keyAt(t, 'lod')} error: unknown key 'lod' in checkpoint; expected one of: load, load_mode, save, save_every, save_optimizer (did you mean 'load'?)`,
    ]);
  });

  it('a checkpoint file shared by the base and its variants is a warning at the shared save', () => {
    const t = textOf({
      ...MINIMAL,
      checkpoint: { save: 'run.safetensors' },
      variants: { adam: { optimizer: 'adam' }, own: { optimizer: 'adam', checkpoint: { save: 'own.safetensors' } } },
    });
    const p = parse(t);
    expect(brief(p)).toEqual([
      `${valueAt(t, 'save')} warning: the base experiment and variant 'adam' all save their checkpoint to 'run.safetensors', so each run overwrites the last; ` +
        'give each variant its own "checkpoint": { "save": ... }',
    ]);
    expect(p.resolve('own')!.spec.checkpoint!.save).toBe('own.safetensors');
  });
});
