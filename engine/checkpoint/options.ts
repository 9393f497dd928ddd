/** The experiment's `checkpoint` section. */
import * as z from 'zod';
import { described, type Rules } from '../core/options';
import { isAbsolutePath } from '../core/paths';

/**
 * Files to start from and to save to. Paths are relative to the experiment file (the run
 * preparation resolves them inside the workspace, as data files); the engine is given the bytes.
 */
const checkpointShape = {
  load: z
    .string()
    .regex(/\S/)
    .optional()
    .describe(
      "A `.safetensors` file to start from, relative to this experiment file (inside the workspace): model weights (such as torch's `save_file(model.state_dict())` writes) or a checkpoint saved by a run.",
    ),
  load_mode: z
    .enum(['weights', 'resume'])
    .default('weights')
    .describe(
      "How to use the file: `weights` takes only the model's parameters and buffers and starts a new run, `resume` continues the saved run exactly (optimizer, schedules, epoch, random state).",
    ),
  save: z
    .string()
    .regex(/\S/)
    .optional()
    .describe('Where to write a checkpoint (`.safetensors`), relative to this experiment file (inside the workspace). Absent: none is written.'),
  save_every: z.int().min(0).default(0).describe('Also save every this many epochs (each overwrites the file); 0 = only at the end of the run.'),
  save_optimizer: z
    .boolean()
    .default(true)
    .describe('Include the optimizer and schedule state, the epoch and the random state (needed to resume); `false` saves the weights only.'),
};
export type CheckpointSpec = z.output<z.ZodObject<typeof checkpointShape>>;

const checkpointRules: Rules<CheckpointSpec> = (v, report) => {
  for (const key of ['load', 'save'] as const) {
    const value = v[key];
    if (value === undefined) continue;
    if (isAbsolutePath(value)) report.error([key], `'${key}' must be relative to this experiment file's folder, not absolute ('${value}')`);
    else if (!/\.safetensors$/i.test(value)) report.warn([key], `'${key}' names a safetensors file; '${value}' does not end in .safetensors`);
  }
  if (v.load_mode === 'resume' && !report.written('load')) {
    report.error(['load_mode'], `load_mode 'resume' needs 'load': the checkpoint file to resume from`);
  }
  if (v.save_every !== undefined && v.save_every > 0 && !report.written('save')) {
    report.error(['save_every'], `save_every needs 'save': the file to write the checkpoints to`);
  }
  if (v.save_optimizer === false && !report.written('save') && report.written('save_optimizer')) {
    report.warn(['save_optimizer'], `save_optimizer has no effect without 'save'`);
  }
};

export const checkpointOptions = described(
  z.strictObject(checkpointShape).describe('Safetensors checkpoints: start from saved weights or resume a saved run (`load`), and save the run (`save`).'),
  { example: '{ "save": "model.safetensors" } or null', rules: checkpointRules },
);
