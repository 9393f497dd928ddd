/** What people call keys and kinds, mapped to this format's names, for "did you mean". */

/** Reads lines of "names → targets": each name on the left maps to the targets on the right, in order. */
function aliases(lines: string): Record<string, string[]> {
  const sides = lines.trim().split('\n').map(line => line.split('→').map(side => side.trim().split(/\s+/)));
  return Object.fromEntries(sides.flatMap(([names, targets]) => names.map(name => [name, targets])));
}

/**
 * Common misnamings → the key meant ("learning_rate" → "lr"), checked before edit distance. Of
 * several targets the first one the object has is suggested ("l2": an optimizer's `weight_decay`,
 * training's `regularization`).
 */
export const KEY_ALIASES: Readonly<Record<string, readonly string[]>> = aliases(`
  learning_rate → lr max_lr
  learningrate lr_rate → lr
  beta1 → betas momentum
  beta2 beta → betas
  epsilon → eps
  decay → weight_decay decay_rate gamma
  l2 → weight_decay regularization
  l1 → regularization
  l2_reg → weight_decay l2 regularization
  weight_decay → l2 regularization
  batchsize batch minibatch_size → batch_size
  n_samples num_samples → samples
  n_classes num_classes → classes
  val_split validation → validation_split
  units size out outputs hidden width → out_features
  use_bias → bias
  n_epochs num_epochs → epochs
  file → path
  label labels y → target
  optim optimiser base_optimizer inner → optimizer
  layers → model
  dataset → data
  criterion → loss
  initialization initializer → init
  experiments → variants
  dropout_rate rate drop_prob keep_prob → p
  slope → negative_slope init
  alpha → negative_slope
  k num_pieces → pieces
  clip clipnorm → clip_grad_norm
  clip_norm → clip_grad_norm max_norm
  grad_clip gradient_clipping max_grad_norm → clip_grad_norm
  clipvalue clip_value → clip_grad_value
  early_stop earlystopping patience → early_stopping
  polyak averaging moving_average → ema
  scheduler lr_scheduler lr_schedule schedules → schedule
  momentum_scheduler → momentum_schedule
  stepsize step → step_size
  steps → step_size total_steps
  milestone → milestones
  tmax t_max → T_max
  t_0 → T_0
  t_mult → T_mult
  min_lr eta_min → eta_min min_lr
  warmup → pct_start total_iters
  checkpoints → checkpoint
  resume → checkpoint load_mode
  load_from → load
  save_to → save
  path → path save load
  every → save_every
`);

/**
 * Names people use for a kind → the kind meant ("glorot_uniform" → xavier_uniform), only for "did you mean": the file must use
 * the kind's own name. torch's class names (CosineAnnealingLR, BatchNorm1d) need no entry: suggest.ts matches their letters.
 */
const kindAliases = aliases(`
  cosine cos cosine_decay → cosine_annealing
  cosine_warm_restarts sgdr warm_restarts → cosine_annealing_warm_restarts
  reduce_on_plateau plateau → reduce_lr_on_plateau
  onecycle 1cycle → one_cycle
  cyclical → cyclic
  exp exp_decay exponential_decay → exponential
  step_decay → step
  multistep → multi_step
  poly → polynomial
  warmup linear_warmup → linear
  inverse_time_decay 1/t → inverse_time
  momentum nesterov gd → sgd
  l-bfgs bfgs → lbfgs
  adam_w → adamw
  dense fc → linear
  bn batchnorm1d → batch_norm
  ln → layer_norm
  swiglu → glu
  logsoftmax → log_softmax
  ce → cross_entropy
  nll → nll_loss
  binary_cross_entropy → bce
  binary_cross_entropy_with_logits → bce_with_logits
  mae l1 → l1_loss
  l2 squared_error → mse
  glorot_uniform → xavier_uniform
  glorot_normal → xavier_normal
  he_uniform → kaiming_uniform
  he_normal kaiming → kaiming_normal
  xavier glorot → xavier_uniform
  he → kaiming_normal
  lecun → lecun_normal
  truncated_normal → trunc_normal
  zero → zeros
  gaussian randn → normal
  make_moons → moons
  make_circles → circles
  make_blobs → blobs
  mnist fashion_mnist fashionmnist kmnist emnist → idx
`);
export const TYPE_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(kindAliases).map(([name, [kind]]) => [name, kind]));

/** What other formats call the key that names a kind ("name": "adam" in a Keras config), for "did you mean 'type'". */
export const TYPE_KEY_ALIASES: readonly string[] = ['kind', 'name', 'class_name'];
