import {
  DEFAULT_CONFIG,
  OPTIMIZER_DEFAULTS,
  parseRunConfig,
  type OptimizerKind,
  type ParseResult,
  type RunConfig,
} from '../engine/lite';

/**
 * The config in the URL hash, as readable `key=value` pairs (like the TensorFlow Playground):
 * `#data=spiral&noise=0.05&hidden=32,32&opt=adam&lr=0.03&...`. Keys left out take their defaults;
 * optimizer hyper-parameters other than `lr` travel as `o.<name>`. Decoding validates with the
 * run config schema, so a hand-edited hash is either a valid config or a clear message.
 */

type Scalar = string | number;

interface Field {
  readonly get: (c: RunConfig) => Scalar | readonly number[];
  readonly set: (c: Draft, raw: string) => void;
}

type Draft = { -readonly [K in keyof RunConfig]: RunConfig[K] extends object ? Record<string, unknown> : unknown };

const num = (raw: string): number => (raw.trim() === '' ? Number.NaN : Number(raw));

const FIELDS: Readonly<Record<string, Field>> = {
  data: { get: (c) => c.data.kind, set: (d, r) => void (d.data.kind = r) },
  samples: { get: (c) => c.data.samples, set: (d, r) => void (d.data.samples = num(r)) },
  noise: { get: (c) => c.data.noise, set: (d, r) => void (d.data.noise = num(r)) },
  train: { get: (c) => c.data.trainFraction, set: (d, r) => void (d.data.trainFraction = num(r)) },
  hidden: {
    get: (c) => c.model.hidden,
    set: (d, r) => void (d.model.hidden = r === '' ? [] : r.split(',').map(num)),
  },
  act: { get: (c) => c.model.activation, set: (d, r) => void (d.model.activation = r) },
  opt: { get: (c) => c.optimizer.kind, set: () => {} },
  lr: { get: (c) => c.optimizer.lr, set: (d, r) => void (d.optimizer.lr = num(r)) },
  batch: { get: (c) => c.batchSize, set: (d, r) => void (d.batchSize = num(r)) },
  seed: { get: (c) => c.seed, set: (d, r) => void (d.seed = num(r)) },
  steps: { get: (c) => c.steps, set: (d, r) => void (d.steps = num(r)) },
  every: { get: (c) => c.metricsEvery, set: (d, r) => void (d.metricsEvery = num(r)) },
  backend: { get: (c) => c.backend, set: (d, r) => void (d.backend = r) },
};

const OPT_PREFIX = 'o.';

export function encodeConfig(config: RunConfig): string {
  const params = new URLSearchParams();
  for (const [key, field] of Object.entries(FIELDS)) {
    const value = field.get(config);
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  for (const [name, value] of Object.entries(config.optimizer)) {
    if (name !== 'kind' && name !== 'lr') params.set(OPT_PREFIX + name, String(value));
  }
  return params.toString();
}

function clone(config: RunConfig): Draft {
  return JSON.parse(JSON.stringify(config)) as Draft;
}

/** Parses a hash (with or without the leading `#`). An empty hash is the default config. */
export function decodeConfig(hash: string): ParseResult<RunConfig> {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.trim() === '') return { ok: true, value: DEFAULT_CONFIG };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { ok: false, message: 'the link is not a list of key=value settings' };
  }
  const draft = clone(DEFAULT_CONFIG);
  const kind = params.get('opt');
  if (kind !== null) {
    if (!(kind in OPTIMIZER_DEFAULTS)) return { ok: false, message: `unknown optimizer "${kind}"` };
    draft.optimizer = { ...OPTIMIZER_DEFAULTS[kind as OptimizerKind] };
  }
  for (const [key, raw] of params) {
    if (key.startsWith(OPT_PREFIX)) {
      const name = key.slice(OPT_PREFIX.length);
      if (name === 'kind' || name === 'lr' || !(name in draft.optimizer)) {
        return { ok: false, message: `"${key}" is not a setting of the ${String(draft.optimizer.kind)} optimizer` };
      }
      draft.optimizer[name] = num(raw);
      continue;
    }
    const field = FIELDS[key];
    if (!field) return { ok: false, message: `unknown setting "${key}"` };
    field.set(draft, raw);
  }
  const parsed = parseRunConfig(draft);
  return parsed.ok ? parsed : { ok: false, message: parsed.message };
}
