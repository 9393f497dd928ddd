/**
 * Fan-in and fan-out of a weight tensor, as `torch.nn.init._calculate_fan_in_and_fan_out`:
 * shape [out_features, in_features, ...receptive field] gives fan_in = in · field and
 * fan_out = out · field. Biases have no fans of their own; they are initialized with their
 * weight's fans (that is what nn.Linear.reset_parameters does).
 */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

export function computeFans(shape: readonly number[]): Fans {
  if (shape.length < 2) {
    throw new RangeError(
      `Fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape [${shape.join(', ')}])`,
    );
  }
  let receptiveField = 1;
  for (let i = 2; i < shape.length; i++) receptiveField *= shape[i];
  return { fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField };
}
