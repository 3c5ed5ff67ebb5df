import { deflateSync, Inflate } from 'fflate';

/**
 * The one home for base64 and deflate. Base64 carries typed arrays in export files; base64url
 * (RFC 4648 §5, no padding) carries share links; raw DEFLATE (fflate) shrinks share links.
 * Decoders never throw: they return null for input that is not what it claims to be.
 */

/** Standard base64 of the bytes (with padding). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes of standard base64, or null. */
export function fromBase64(text: unknown): Uint8Array | null {
  if (typeof text !== 'string') return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** URL-safe base64 without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The bytes of URL-safe base64 (padding optional), or null. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  return fromBase64(
    text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4),
  );
}

/** Raw DEFLATE at the best compression (inputs here are small: configs and CSVs). */
export function deflate(bytes: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9 });
}

/**
 * Inflates raw DEFLATE data, refusing (null) output longer than `maxBytes` or a damaged stream.
 * Fed in small pieces, so a "zip bomb" stops within about a megabyte of the limit.
 */
export function inflate(bytes: Uint8Array, maxBytes: number): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  try {
    const stream = new Inflate((chunk, final) => {
      parts.push(chunk);
      total += chunk.length;
      ended ||= final;
    });
    for (let i = 0; i < bytes.length && total <= maxBytes; i += 1024) {
      stream.push(bytes.subarray(i, i + 1024), i + 1024 >= bytes.length);
    }
    if (bytes.length === 0) stream.push(bytes, true);
  } catch {
    return null;
  }
  if (total > maxBytes || !ended) return null;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
