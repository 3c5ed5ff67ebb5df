import type { ParseResult } from '../config';

/** The user's text as character ids over its own vocabulary; the last tenth is the test split. */
export interface TextCorpus {
  /** One entry per token id (a character, possibly outside the BMP). */
  readonly vocab: readonly string[];
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export const MAX_TEXT_VOCAB = 128;

/**
 * Checks and tokenizes pasted text for a character LM with `sequenceLength` characters of context.
 * Line endings become `\n`; other control characters are refused. Never throws.
 */
export function parseText(input: unknown, sequenceLength: number): ParseResult<TextCorpus> {
  if (typeof input !== 'string') return { ok: false, message: 'the text must be a string' };
  const text = input.replace(/\r\n?/g, '\n');
  const chars = Array.from(text);
  const window = sequenceLength + 1;
  const needed = Math.max(64, 8 * window);
  if (chars.length < needed) {
    return {
      ok: false,
      message: `the text has ${chars.length} characters; a sequence length of ${sequenceLength} needs at least ${needed}`,
    };
  }
  const isControl = (c: string) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  };
  const control = chars.findIndex((c) => c !== '\n' && c !== '\t' && isControl(c));
  if (control >= 0)
    return {
      ok: false,
      message: `the text has a control character (code ${chars[control].codePointAt(0)}) at position ${control}`,
    };
  const vocab = [...new Set(chars)].sort();
  if (vocab.length > MAX_TEXT_VOCAB)
    return {
      ok: false,
      message: `the text uses ${vocab.length} different characters; at most ${MAX_TEXT_VOCAB} are allowed`,
    };
  if (vocab.length < 2)
    return { ok: false, message: 'the text needs at least 2 different characters' };
  const index = new Map(vocab.map((c, i) => [c, i]));
  const ids = Int32Array.from(chars, (c) => index.get(c) ?? 0);
  const nTest = Math.max(2 * window, Math.floor(ids.length / 10));
  return {
    ok: true,
    value: {
      vocab,
      train: ids.subarray(0, ids.length - nTest),
      test: ids.subarray(ids.length - nTest),
    },
  };
}
