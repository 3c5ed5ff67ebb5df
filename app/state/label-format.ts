import { MODEL_DEFAULTS, OPTIMIZER_DEFAULTS, SCHEDULE_DEFAULTS } from '../../engine/tf-free';

/** One config leaf as the label flattener gives it (arrays already joined). */
export type Leaf = string | number | boolean;

/**
 * A number in 2-3 significant digits: 0.10948 → "0.109", 0.0003 → "3e-4", 1370 → "1,370".
 * Integers up to a million are shown whole; tiny and huge values in exponent form.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (Number.isInteger(x) && abs < 1e6) return x.toLocaleString('en-US');
  if (abs < 1e-3 || abs >= 1e6) {
    const [mantissa, exponent] = x.toExponential(2).split('e');
    return `${trimZeros(mantissa)}e${Number(exponent)}`;
  }
  return trimZeros(x.toPrecision(3));
}

const trimZeros = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** A fraction of the run as a percentage in two significant digits, e.g. 0.219 → "22%". */
export const formatPercent = (f: number) =>
  `${f === 0 ? '0' : formatNumber(Number((f * 100).toPrecision(2)))}%`;

/** Readable names by the leaf's last path segment; '' shows the value alone (e.g. "adam"). */
const NAMES: Readonly<Record<string, string>> = {
  kind: '',
  lr: 'lr',
  batchSize: 'batch',
  microBatches: 'micro-batches',
  steps: 'steps',
  metricsEvery: 'metrics every',
  weightDecay: 'weight decay',
  beta1: 'β1',
  beta2: 'β2',
  eps: 'ε',
  nsSteps: 'Newton-Schulz steps',
  trustCoefficient: 'trust',
  excludeBiasAndNorm: 'exclude bias/norm',
  initialAccumulator: 'initial accumulator',
  adamLr: 'Adam lr',
  adamBeta1: 'Adam β1',
  adamBeta2: 'Adam β2',
  adamEps: 'Adam ε',
  adamWeightDecay: 'Adam weight decay',
  hidden: 'hidden',
  weightStandardization: 'weight standardization',
  convLayers: 'conv layers',
  mlpRatio: 'MLP ratio',
  topK: 'top-k',
  capacityFactor: 'capacity',
  lblAlpha: 'balance loss',
  lblScope: 'balance scope',
  rtdWeight: 'RTD λ',
  trainFraction: 'train',
  trainSamples: 'train samples',
  sequenceLength: 'context',
  corpusChars: 'corpus',
  perTensorScaling: 'per-tensor scaling',
  quantizeEmbeddingAndHead: 'quantize embedding/head',
  referenceBatch: 'reference batch',
  rule: 'LR scaling',
};

/** Full-path names where the last segment alone would be ambiguous. */
const PATH_NAMES: Readonly<Record<string, string>> = {
  'quant.weights': 'weights',
  'quant.activations': 'activations',
  'quant.gradients': 'gradients',
  'quant.mesa': 'Mesa',
  'batchScaling.referenceBatch': 'reference batch',
  'batching.kind': 'batches',
  'batching.keep': 'keep δ',
};

/** Schedule names as people say them. */
const SCHEDULE_NAMES: Readonly<Record<string, string>> = {
  constant: 'constant LR',
  step: 'step decay',
  exponential: 'exponential decay',
  cosine: 'cosine',
  wsd: 'WSD',
  power: 'power',
  onecycle: 'one-cycle',
};

/** Schedule fields with their own phrasing; fractions of the run become percentages. */
const SCHEDULE_FIELDS: Readonly<Record<string, (v: Leaf) => string>> = {
  warmupFraction: (v) => `warmup ${pct(v)}`,
  decayFraction: (v) => `decay last ${pct(v)}`,
  halfLifeFraction: (v) => `half-life ${pct(v)}`,
  floorRatio: (v) => `floor ${num(v)}×`,
  finalRatio: (v) => `final ${num(v)}×`,
  boundaries: (v) =>
    `drops at ${String(v)
      .split('×')
      .map((b) => pct(Number(b)))
      .join(', ')}`,
  factor: (v) => `×${num(v)} each`,
  cycles: (v) => `${num(v)} cycles`,
  exponent: (v) => `exponent ${num(v)}`,
  decayFloor: (v) => `decay floor ${num(v)}`,
  divFactor: (v) => `start ÷${num(v)}`,
  finalDivFactor: (v) => `end ÷${num(v)}`,
  shape: (v) => `${String(v)} decay`,
  referenceBatch: (v) => `reference batch ${num(v)}`,
};

const num = (v: Leaf) => (typeof v === 'number' ? formatNumber(v) : String(v));
const pct = (v: Leaf) => (typeof v === 'number' ? formatPercent(v) : String(v));

/** Long values (a pasted text or table) are cut, so a label stays one short line. */
const MAX_VALUE = 24;

/** One leaf as "name value": `micro-batches 4`, `lr 0.003`, `adam`, `hidden 32×32`. */
export function formatLeaf(path: string, value: Leaf): string {
  const last = path.slice(path.lastIndexOf('.') + 1);
  const name = PATH_NAMES[path] ?? NAMES[last] ?? last;
  if (typeof value === 'boolean') return value ? name : `no ${name}`;
  if (path === 'steps' && typeof value === 'number') return `${formatNumber(value)} steps`;
  const raw = typeof value === 'number' ? formatNumber(value) : String(value).replace(/\s+/g, ' ');
  const shown = raw.length > MAX_VALUE ? `${raw.slice(0, MAX_VALUE - 1)}…` : raw;
  return name ? `${name} ${shown}` : shown;
}

/** The default of a kind-specific field, so a field only one kind has can be skipped. */
function kindDefault(group: string, kind: Leaf | undefined, field: string): Leaf | undefined {
  const table: Readonly<Record<string, object>> | undefined =
    group === 'optimizer'
      ? OPTIMIZER_DEFAULTS
      : group === 'schedule'
        ? SCHEDULE_DEFAULTS
        : group === 'model'
          ? MODEL_DEFAULTS
          : undefined;
  const entry =
    table && typeof kind === 'string'
      ? (table[kind] as Record<string, unknown> | undefined)
      : undefined;
  const value = entry?.[field];
  return Array.isArray(value) ? value.join('×') : (value as Leaf | undefined);
}

/** Label parts in this order: what people compare first comes first. */
const ORDER = [
  'optimizer',
  'schedule',
  'batchSize',
  'microBatches',
  'batchScaling',
  'model',
  'quant',
  'data',
  'steps',
];
const rank = (path: string) => {
  const i = ORDER.indexOf(path.split('.')[0]);
  return i < 0 ? ORDER.length : i;
};

/** At most this many parts; the rest is summarised as "+N more". */
const MAX_PARTS = 4;

/**
 * The label of one config from the paths that differ between the shown configs. A field that
 * belongs to one kind only (Adam's β2 next to SGD) is left out while it has that kind's default
 * (the learning rate is always shown);
 * schedule fields merge into one phrase ("WSD: warmup 11%, decay last 22%").
 */
export function formatParts(
  differing: readonly string[],
  values: ReadonlyMap<string, Leaf>,
): string {
  const kept = differing.filter((path) => {
    const [group, field] = path.split('.');
    if (field === undefined || field === 'kind' || field === 'lr' || !values.has(`${group}.kind`))
      return true;
    if (!differing.includes(`${group}.kind`)) return true;
    return values.get(path) !== kindDefault(group, values.get(`${group}.kind`), field);
  });
  const sorted = [...kept].sort((a, b) => rank(a) - rank(b));
  const parts: string[] = [];
  const schedule = sorted.filter((p) => p.startsWith('schedule.'));
  for (const path of sorted) {
    if (path.startsWith('schedule.')) {
      if (path === schedule[0]) parts.push(schedulePhrase(schedule, values));
      continue;
    }
    const value = values.get(path);
    if (value !== undefined) parts.push(formatLeaf(path, value));
  }
  if (parts.length <= MAX_PARTS) return parts.join(', ');
  return `${parts.slice(0, MAX_PARTS).join(', ')} +${parts.length - MAX_PARTS} more`;
}

function schedulePhrase(paths: readonly string[], values: ReadonlyMap<string, Leaf>): string {
  const kind = String(values.get('schedule.kind') ?? '');
  const name = SCHEDULE_NAMES[kind] ?? kind;
  const fields = paths
    .filter((p) => p !== 'schedule.kind')
    .map((p) => {
      const field = p.slice('schedule.'.length);
      const value = values.get(p) as Leaf;
      return SCHEDULE_FIELDS[field]?.(value) ?? formatLeaf(p, value);
    });
  if (fields.length === 0) return name;
  return `${name}: ${fields.join(', ')}`;
}
