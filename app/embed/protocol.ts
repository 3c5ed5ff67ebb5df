import * as v from 'valibot';
import { describeIssues, type ParseResult } from '../../engine/schema-helpers';

/**
 * What the `<training-playground>` element and the embed page agree on: attribute and URL
 * parameter formats, and the postMessage shapes in both directions. No Svelte, no engine code but
 * the valibot helpers of engine/schema-helpers.ts: the element (dist/embed.js) imports this file,
 * so it must stay small.
 */

export const PRESET_NAMES = ['spiral-adam', 'circles-sgd', 'xor-lamb', 'spiral-muon'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Controls an embedder may list in `controls="..."`. */
export const CONTROL_NAMES = ['optimizer', 'lr', 'batch', 'dataset'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

/** Mirrors the engine's `BACKENDS` (checked by a unit test); copied so the element needs no engine code. */
export const BACKEND_NAMES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Tags every message, so either side ignores unrelated postMessage traffic. */
export const EMBED_SOURCE = 'training-playground';
export const HOST_SOURCE = 'training-playground-host';

export const DEFAULT_HEIGHT = 360;

const firstIssue = (issues: readonly v.BaseIssue<unknown>[]) =>
  describeIssues(issues, 1) || 'invalid value';

function safe<T>(schema: v.GenericSchema<unknown, T>, input: unknown): ParseResult<T> {
  try {
    const result = v.safeParse(schema, input);
    return result.success
      ? { ok: true, value: result.output }
      : { ok: false, message: firstIssue(result.issues) };
  } catch (err) {
    // A hostile object (a throwing getter or proxy) must not break the caller.
    return {
      ok: false,
      message: `unreadable value (${err instanceof Error ? err.name : 'error'})`,
    };
  }
}

/** `http://host:port` exactly as `URL.origin` writes it; opaque origins ("null") are not accepted. */
export function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return url.origin !== 'null' && url.origin === text;
  } catch {
    return false;
  }
}

const Preset = v.picklist(
  PRESET_NAMES,
  (issue) => `unknown preset "${String(issue.input)}" (known: ${PRESET_NAMES.join(', ')})`,
);
const Backend = v.picklist(
  BACKEND_NAMES,
  (issue) => `unknown backend "${String(issue.input)}" (known: ${BACKEND_NAMES.join(', ')})`,
);
/** A comma-separated list of names; whether each name is known is decided by the embed page. */
const ControlList = v.pipe(
  v.string(),
  v.maxLength(200, 'the list is too long'),
  v.regex(/^[a-z0-9 ,-]*$/i, 'use names separated by commas, e.g. "optimizer,lr"'),
  v.transform((text) =>
    text
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== ''),
  ),
);
const Height = v.pipe(
  v.string(),
  v.regex(/^\s*\d{1,5}\s*(px)?\s*$/, 'give a number of pixels, e.g. "360"'),
  v.transform((text) => Number.parseInt(text, 10)),
  v.minValue(160, 'at least 160 pixels'),
  v.maxValue(2000, 'at most 2000 pixels'),
);
/** A config hash as app/url-codec.ts writes it, without the leading `#`; the embed page validates it. */
const ConfigHash = v.pipe(
  v.string(),
  v.maxLength(4000, 'the config is too long'),
  v.regex(/^[^#\s]*$/, 'a config hash without "#" or spaces'),
);

// ---------------------------------------------------------------------------------------------
// The element's attributes

export interface EmbedAttributes {
  readonly preset: PresetName | undefined;
  readonly controls: readonly string[];
  readonly height: number;
  readonly backend: BackendName | undefined;
  readonly config: string | undefined;
  readonly autoplay: boolean;
}

export const ATTRIBUTE_NAMES = [
  'preset',
  'controls',
  'height',
  'backend',
  'config',
  'autoplay',
] as const;

const AttributesSchema = v.object({
  preset: v.optional(Preset),
  controls: v.optional(ControlList, ''),
  height: v.optional(Height, String(DEFAULT_HEIGHT)),
  backend: v.optional(Backend),
  config: v.optional(ConfigHash),
  autoplay: v.optional(v.picklist(['', 'true', 'false', 'autoplay'], 'autoplay takes no value')),
});

/** Reads the element's attributes (`get` returns null for a missing one) into a checked record. */
export function parseAttributes(
  get: (name: string) => string | null,
): ParseResult<EmbedAttributes> {
  const raw: Record<string, string> = {};
  for (const name of ATTRIBUTE_NAMES) {
    const value = get(name);
    if (typeof value === 'string') raw[name] = value;
  }
  const parsed = safe(AttributesSchema, raw);
  if (!parsed.ok) return parsed;
  const a = parsed.value;
  return {
    ok: true,
    value: {
      preset: a.preset,
      controls: a.controls,
      height: a.height,
      backend: a.backend,
      config: a.config,
      autoplay: a.autoplay !== undefined && a.autoplay !== 'false',
    },
  };
}

/** The iframe's address: `embed.html?preset=..&controls=..&origin=<host origin>#<config>`. */
export function embedUrl(page: URL, attributes: EmbedAttributes, hostOrigin: string): string {
  const url = new URL(page.href);
  const params = new URLSearchParams();
  if (attributes.preset) params.set('preset', attributes.preset);
  if (attributes.controls.length > 0) params.set('controls', attributes.controls.join(','));
  if (attributes.backend) params.set('backend', attributes.backend);
  if (attributes.autoplay) params.set('autoplay', '1');
  if (isOrigin(hostOrigin)) params.set('origin', hostOrigin);
  url.search = params.toString().replaceAll('%2C', ',');
  url.hash = attributes.config ?? '';
  return url.href;
}

// ---------------------------------------------------------------------------------------------
// The embed page's URL parameters

export interface EmbedParams {
  readonly preset: string | undefined;
  readonly controls: readonly string[];
  readonly backend: BackendName | undefined;
  readonly autoplay: boolean;
  /** The host page's origin, where events are posted; undefined when not embedded by the element. */
  readonly origin: string | undefined;
}

const ParamsSchema = v.object({
  // The page reports an unknown preset itself (with the list), so any short name passes here.
  preset: v.optional(v.pipe(v.string(), v.maxLength(60, 'the preset name is too long'))),
  controls: v.optional(ControlList, ''),
  backend: v.optional(Backend),
  autoplay: v.optional(v.string()),
  origin: v.optional(v.pipe(v.string(), v.check(isOrigin, 'origin: not an origin'))),
});

export function parseEmbedParams(search: string): ParseResult<EmbedParams> {
  const params = new URLSearchParams(search);
  const raw: Record<string, string> = {};
  for (const key of ['preset', 'controls', 'backend', 'autoplay', 'origin']) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = safe(ParamsSchema, raw);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  return {
    ok: true,
    value: {
      preset: p.preset,
      controls: p.controls,
      backend: p.backend,
      autoplay: p.autoplay !== undefined && p.autoplay !== '0' && p.autoplay !== 'false',
      origin: p.origin,
    },
  };
}

/** Splits listed control names into the known ones (in the listed order, once each) and the rest. */
export function splitControls(names: readonly string[]): {
  known: ControlName[];
  unknown: string[];
} {
  const known: ControlName[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const control = CONTROL_NAMES.find((c) => c === name);
    if (control) {
      if (!known.includes(control)) known.push(control);
    } else if (!unknown.includes(name)) {
      unknown.push(name);
    }
  }
  return { known, unknown };
}

// ---------------------------------------------------------------------------------------------
// Messages: embed page -> host element

const Metric = v.nullable(v.number());
const StepDetailSchema = v.strictObject({
  step: v.pipe(v.number(), v.integer(), v.minValue(0)),
  loss: Metric,
  testLoss: Metric,
  accuracy: Metric,
});
export type StepDetail = v.InferOutput<typeof StepDetailSchema>;

const EmbedMessageSchema = v.variant('type', [
  v.strictObject({
    source: v.literal(EMBED_SOURCE),
    type: v.literal('ready'),
    detail: v.strictObject({
      preset: v.nullable(v.pipe(v.string(), v.maxLength(60))),
      backend: v.nullable(v.picklist(BACKEND_NAMES)),
    }),
  }),
  v.strictObject({
    source: v.literal(EMBED_SOURCE),
    type: v.literal('step'),
    detail: StepDetailSchema,
  }),
  v.strictObject({
    source: v.literal(EMBED_SOURCE),
    type: v.literal('finished'),
    detail: StepDetailSchema,
  }),
  v.strictObject({
    source: v.literal(EMBED_SOURCE),
    type: v.literal('failed'),
    detail: v.strictObject({ message: v.pipe(v.string(), v.maxLength(2000)) }),
  }),
]);
export type EmbedMessage = v.InferOutput<typeof EmbedMessageSchema>;
export type EmbedEventName = EmbedMessage['type'];

export function parseEmbedMessage(data: unknown): ParseResult<EmbedMessage> {
  return safe(EmbedMessageSchema, data);
}

// ---------------------------------------------------------------------------------------------
// Messages: host element -> embed page

const HostMessageSchema = v.variant('type', [
  /** Whether the element is on screen (the page also watches with its own IntersectionObserver). */
  v.strictObject({
    source: v.literal(HOST_SOURCE),
    type: v.literal('visibility'),
    visible: v.boolean(),
  }),
  v.strictObject({
    source: v.literal(HOST_SOURCE),
    type: v.literal('command'),
    command: v.picklist(['play', 'pause', 'reset']),
  }),
]);
export type HostMessage = v.InferOutput<typeof HostMessageSchema>;

export function parseHostMessage(data: unknown): ParseResult<HostMessage> {
  return safe(HostMessageSchema, data);
}
