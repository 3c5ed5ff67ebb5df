import * as v from 'valibot';

/**
 * The valibot pieces every config schema is built from, and the one result type of every parser
 * (configs, datasets, URL and embed parameters). TF-free and small: the embed element uses it.
 */

/** A parse that either gives the value or says, in words a user can act on, what is wrong. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** An integer in [min, max]. */
export const int = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** A finite number in [min, max]. */
export const real = (min: number, max: number) =>
  v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));

/** A finite number in (0, max]. */
export const positive = (max: number) =>
  v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(max));

/** How much of the user's own text a message quotes. */
export const QUOTE_MAX = 80;

/**
 * User text as a message quotes it: at most QUOTE_MAX characters, cut with "…" and the full
 * length said, so a hostile 1 MB key or cell never fills an alert.
 */
export function quoteInput(text: string, max = QUOTE_MAX): string {
  const s = String(text);
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

/**
 * The first `max` issues as one line, each with its path, e.g.
 * `optimizer.lr: Invalid value: expected >0 but received -1`.
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], max = 4): string {
  return issues
    .slice(0, max)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return quoteInput(path ? `${path}: ${issue.message}` : issue.message, 2 * QUOTE_MAX);
    })
    .join('; ');
}

/** Parses `input` with `schema`; a failure names its first `maxIssues` problems by path. */
export function parseWith<T>(
  schema: v.GenericSchema<unknown, T>,
  input: unknown,
  maxIssues = 4,
): ParseResult<T> {
  const result = v.safeParse(schema, input);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, message: describeIssues(result.issues, maxIssues) };
}
