import { FIELD_TEMPERATURE, parseRunConfig, type HotPatch, type RunConfig } from '../../engine/tf-free';

export type ConfigPatch = Partial<RunConfig>;

/** Splits a change into the hot part (applied to the running run) and whether anything cold changed. */
export function splitPatch(patch: ConfigPatch): { hot: HotPatch; cold: boolean } {
  const hot: Record<string, unknown> = {};
  let cold = false;
  for (const key of Object.keys(patch) as (keyof RunConfig)[]) {
    if (FIELD_TEMPERATURE[key] === 'hot') hot[key] = patch[key];
    else cold = true;
  }
  return { hot: hot as HotPatch, cold };
}

/** The config being edited. Replaced whole on every change; its validity is derived. */
export class Draft {
  #config: RunConfig;
  readonly error = $derived.by(() => {
    const parsed = parseRunConfig(this.#config);
    return parsed.ok ? null : parsed.message;
  });

  constructor(initial: RunConfig) {
    this.#config = $state.raw(initial);
  }

  get config(): RunConfig {
    return this.#config;
  }

  update(patch: ConfigPatch): void {
    this.#config = { ...this.#config, ...patch };
  }

  /** Shows another config (e.g. the run just selected). */
  replace(config: RunConfig): void {
    this.#config = config;
  }
}
