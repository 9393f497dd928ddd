/**
 * A trainable tensor: values and their gradient, both allocated once when the model is built.
 * `name` is the PyTorch `state_dict` key the tensor would have in the equivalent
 * `torch.nn.Sequential` (e.g. "0.weight", "2.bias"), so checkpoints and fixtures line up with torch.
 */
export class Parameter {
  readonly data: Float32Array;
  readonly grad: Float32Array;
  readonly size: number;

  constructor(
    readonly name: string,
    readonly shape: readonly number[],
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    this.data = new Float32Array(this.size);
    this.grad = new Float32Array(this.size);
  }

  zeroGrad(): void {
    this.grad.fill(0);
  }
}
