/**
 * A learning-rate schedule: the learning rate as a function of the step. Pure and cheap, with
 * no tensors, so the UI can draw one and a test needs no TF.js (optax's `count -> value`).
 * Steps before 0 read as 0; a schedule is flat past its last phase. Which step a run passes is
 * stated once, in the step convention of engine/plan/run-plan.ts (update n reads step n).
 */
export type Schedule = (step: number) => number;

/** Throws `${where}: ${name} must be ${what}, got ${value}` unless `ok`. */
function require(ok: boolean, where: string, name: string, what: string, value: unknown): void {
  if (!ok) throw new Error(`${where}: ${name} must be ${what}, got ${String(value)}`);
}

/** Argument checks shared by the schedule factories; each throws a clear Error. */
export const check = {
  finite(where: string, name: string, x: number): void {
    require(Number.isFinite(x), where, name, 'a finite number', x);
  },
  nonNegative(where: string, name: string, x: number): void {
    require(Number.isFinite(x) && x >= 0, where, name, 'a finite number ≥ 0', x);
  },
  positive(where: string, name: string, x: number): void {
    require(Number.isFinite(x) && x > 0, where, name, 'a finite number > 0', x);
  },
  steps(where: string, name: string, x: number): void {
    require(Number.isInteger(x) && x >= 0, where, name, 'a whole number of steps ≥ 0', x);
  },
  positiveSteps(where: string, name: string, x: number): void {
    require(Number.isInteger(x) && x > 0, where, name, 'a whole number of steps > 0', x);
  },
  ratio(where: string, name: string, x: number): void {
    require(Number.isFinite(x) && x >= 0 && x <= 1, where, name, 'in [0, 1]', x);
  },
};

/** The step as a schedule reads it: negative steps clamp to 0. */
export const clampStep = (step: number): number => (step > 0 ? step : 0);
