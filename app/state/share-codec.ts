import * as v from 'valibot';
import { describeIssues, RunConfigSchema, type RunConfig } from '../../engine/tf-free';

/**
 * A comparison's configs in the URL hash: `#compare=` + base64url of the configs as compact JSON
 * (UTF-8). Whole configs, not differences from the defaults, so a link keeps its meaning when
 * defaults change. Decoding validates each config with the run config schema.
 */

export const SHARE_PREFIX = 'compare=';
export const MAX_SHARED_CONFIGS = 16;
/** Characters after the prefix; 16 full configs take about 10,000. */
export const MAX_SHARE_LENGTH = 64_000;

export type ShareResult = { ok: true; configs: RunConfig[] } | { ok: false; message: string };

const SharedSchema = v.pipe(
  v.array(RunConfigSchema),
  v.minLength(1, 'the link has no runs'),
  v.maxLength(MAX_SHARED_CONFIGS, `the link has more than ${MAX_SHARED_CONFIGS} runs`),
);

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The hash (with `#`) for a comparison of 1 to MAX_SHARED_CONFIGS configs; a RangeError otherwise. */
export function encodeShare(configs: readonly RunConfig[]): string {
  if (configs.length < 1 || configs.length > MAX_SHARED_CONFIGS) {
    throw new RangeError(`A share link holds 1 to ${MAX_SHARED_CONFIGS} runs, not ${configs.length}`);
  }
  return '#' + SHARE_PREFIX + toBase64Url(new TextEncoder().encode(JSON.stringify(configs)));
}

/** Whether a hash (with or without `#`) is a share link, valid or not. */
export function isShareHash(hash: string): boolean {
  return (hash.startsWith('#') ? hash.slice(1) : hash).startsWith(SHARE_PREFIX);
}

/** The configs of a share link; null when the hash is not a share link at all. Never throws. */
export function decodeShare(hash: string): ShareResult | null {
  try {
    if (typeof hash !== 'string' || !isShareHash(hash)) return null;
    const payload = (hash.startsWith('#') ? hash.slice(1) : hash).slice(SHARE_PREFIX.length);
    if (payload.length > MAX_SHARE_LENGTH) return { ok: false, message: 'Share link: the link is too long' };
    const bytes = fromBase64Url(payload);
    if (!bytes) return { ok: false, message: 'Share link: the link is damaged (not base64url)' };
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return { ok: false, message: 'Share link: the link is damaged (not JSON)' };
    }
    const parsed = v.safeParse(SharedSchema, json);
    return parsed.success
      ? { ok: true, configs: parsed.output }
      : { ok: false, message: `Share link: ${describeIssues(parsed.issues) || 'invalid configs'}` };
  } catch (e) {
    return { ok: false, message: `Share link: ${e instanceof Error ? e.message : String(e)}` };
  }
}
