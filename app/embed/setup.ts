import { DEFAULT_CONFIG, type RunConfig } from '../../engine/tf-free';
import { decodeConfig } from '../url-codec';
import { isPresetName, PRESETS } from './presets';
import { CONTROL_NAMES, parseEmbedParams, splitControls, type ControlName } from './protocol';

/** Everything the embed page needs from its URL, with the problems to show inside the widget. */
export interface EmbedSetup {
  readonly title: string;
  readonly description: string;
  readonly preset: string | null;
  readonly config: RunConfig;
  readonly controls: readonly ControlName[];
  readonly autoplay: boolean;
  /** Where events are posted; null when the page is not embedded by the element. */
  readonly hostOrigin: string | null;
  readonly problems: readonly string[];
}

/**
 * `embed.html?preset=spiral-adam&controls=optimizer,lr&backend=wasm#<config hash>`: the hash (as
 * app/url-codec.ts writes it) wins over the preset's config; `backend` overrides either.
 */
export function resolveEmbed(search: string, hash: string): EmbedSetup {
  const problems: string[] = [];
  const parsed = parseEmbedParams(search);
  if (!parsed.ok) problems.push(`This widget's address could not be read (${parsed.message}).`);
  const params = parsed.ok
    ? parsed.value
    : { preset: undefined, controls: [], backend: undefined, autoplay: false, origin: undefined };

  let preset = null;
  if (params.preset !== undefined) {
    if (isPresetName(params.preset)) preset = params.preset;
    else
      problems.push(
        `There is no preset "${params.preset}" (there are: ${Object.keys(PRESETS).join(', ')}).`,
      );
  }
  const info = preset ? PRESETS[preset] : null;
  let config: RunConfig = info?.config ?? { ...DEFAULT_CONFIG, steps: 600 };

  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.trim() !== '') {
    const decoded = decodeConfig(text);
    if (decoded.ok) config = decoded.value;
    else problems.push(`This widget's settings could not be read (${decoded.message}).`);
  }
  if (params.backend) config = { ...config, backend: params.backend };

  const { known, unknown } = splitControls(params.controls);
  if (unknown.length > 0) {
    problems.push(
      `Unknown control${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} (there are: ${CONTROL_NAMES.join(', ')}).`,
    );
  }
  return {
    title: info?.name ?? 'Training playground',
    description: info?.description ?? '',
    preset,
    config,
    controls: known,
    autoplay: params.autoplay,
    hostOrigin: params.origin ?? null,
    problems,
  };
}
