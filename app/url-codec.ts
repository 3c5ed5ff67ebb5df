import {
  DEFAULT_CONFIG,
  parseRunConfig,
  quoteInput,
  SORTED_DEFAULT,
  VARIANT_DEFAULTS,
  type ParseResult,
  type RunConfig,
} from '../engine/tf-free';
import { forEachLeaf } from './config-leaves';

/**
 * The config in the URL hash as readable `path=value` pairs, e.g.
 * `#data.kind=xor&model.hidden=8,4&optimizer.kind=sgd&optimizer.lr=0.3&batchSize=16`.
 * Every setting is written, so a link keeps meaning the same thing when defaults change. Decoding
 * starts from the defaults (of the variant a `*.kind` names), sets each path with the type the
 * default has there, and validates with the run config schema: a hand-edited hash is either a
 * valid config or a clear message. The user's own text or CSV appears only by its dataset id
 * (`data.dataset=sha256:…`); the content stays in this browser's storage (see state/datasets.ts).
 */

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
type Tree = { [key: string]: Json };

export function encodeConfig(config: RunConfig): string {
  const params = new URLSearchParams();
  forEachLeaf(config, (path, v) => {
    // An optional group switched off (`sorted: undefined`) is left out.
    if (v !== undefined) params.set(path, Array.isArray(v) ? v.join(',') : String(v));
  });
  return params.toString().replaceAll('%2C', ',');
}

/** Parses `raw` as the type of `template`; NaN / a string the schema will reject when it does not fit. */
function parseAs(template: Json, raw: string): Json {
  if (typeof template === 'number') return raw.trim() === '' ? Number.NaN : Number(raw);
  if (typeof template === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (Array.isArray(template)) {
    if (raw === '') return [];
    // Lists of names (e.g. data.domains) stay strings; everything else is a list of numbers.
    if (typeof template[0] === 'string') return raw.split(',');
    return raw.split(',').map((x) => (x.trim() === '' ? Number.NaN : Number(x)));
  }
  return raw;
}

/** Optional settings that no default holds, with a value of their type (for `parseAs`). */
const OPTIONAL_TEMPLATES: Readonly<Record<string, Json>> = {
  'data.dataSeed': 0,
  // The transformer's pretraining objective and ELECTRA's λ (absent: causal).
  'model.objective': 'causal',
  'model.rtdWeight': 50,
  // CCT's tokenizer and pooling (absent: conv and sequence; patch and class make ViT-lite).
  'model.tokenizer': 'conv',
  'model.pooling': 'sequence',
};

/** Optional top-level groups absent from the defaults: a path into one starts it from these. */
const OPTIONAL_GROUPS: Readonly<Record<string, Tree>> = {
  sorted: { widths: [...SORTED_DEFAULT.widths] },
};

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** Parses a hash (with or without the leading `#`). An empty hash is the default config. */
export function decodeConfig(hash: string): ParseResult<RunConfig> {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.trim() === '') return { ok: true, value: DEFAULT_CONFIG };
  const params = new URLSearchParams(text);
  const draft = clone(DEFAULT_CONFIG) as unknown as Tree;

  // 1) Variants first: `optimizer.kind=lamb` starts the optimizer from LAMB's defaults.
  for (const [field, table] of Object.entries(VARIANT_DEFAULTS)) {
    const kind = params.get(`${field}.kind`);
    if (kind === null) continue;
    const defaults = (table as Readonly<Record<string, object>>)[kind];
    if (!Object.hasOwn(table, kind) || !defaults)
      return {
        ok: false,
        message: `${field}.kind: unknown ${field} "${quoteInput(String(kind))}"`,
      };
    draft[field] = clone(defaults) as Tree;
  }
  // Links made before datasets left the config carried the text itself, up to 500,000 characters.
  if (params.has('data.text')) {
    return {
      ok: false,
      message:
        'data.text: this link is from an older version and holds the data itself; paste it again',
    };
  }
  // 2) Then every other setting, parsed with the type its default has.
  for (const [path, raw] of params) {
    if (
      path.endsWith('.kind') &&
      path.split('.').length === 2 &&
      path.split('.')[0] in VARIANT_DEFAULTS
    )
      continue;
    const keys = path.split('.');
    const group = keys[0];
    if (keys.length > 1 && !Object.hasOwn(draft, group) && Object.hasOwn(OPTIONAL_GROUPS, group))
      draft[group] = clone(OPTIONAL_GROUPS[group]);
    let node: Tree = draft;
    for (const key of keys.slice(0, -1)) {
      const next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (next === null || typeof next !== 'object' || Array.isArray(next))
        return { ok: false, message: `unknown setting "${quoteInput(path)}"` };
      node = next as Tree;
    }
    const last = keys[keys.length - 1];
    if (!Object.hasOwn(node, last) && Object.hasOwn(OPTIONAL_TEMPLATES, path)) {
      node[last] = parseAs(OPTIONAL_TEMPLATES[path], raw);
      continue;
    }
    if (
      !Object.hasOwn(node, last) ||
      (typeof node[last] === 'object' && !Array.isArray(node[last]))
    ) {
      return { ok: false, message: `unknown setting "${quoteInput(path)}"` };
    }
    node[last] = parseAs(node[last], raw);
  }
  return parseRunConfig(draft);
}
