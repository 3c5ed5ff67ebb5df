import { lossPlateau } from '../diagnostics/plateau';
import type { InContextView } from '../tasks/views';

/**
 * The numbers the GPICL preset's verdict reads from an arm's per-position view and its training
 * loss (docs/algorithms.md#in-context-learning): mean accuracy over the first and the last
 * quarter of the positions, on training tasks and on unseen tasks, the largest distance of an
 * unseen position from chance, and how long the loss has sat at chance. TF.js-free.
 */
export function inContextExtra(
  view: InContextView,
  loss: readonly number[],
): Record<string, number> {
  const T = view.unseen.length;
  const q = Math.max(1, Math.floor(T / 4));
  const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const chance = 1 / view.classes;
  const plateau = lossPlateau(loss, view.classes);
  return {
    chance,
    unseenEarly: avg(view.unseen.slice(0, q)),
    unseenLate: avg(view.unseen.slice(T - q)),
    trainEarly: avg(view.train.slice(0, q)),
    trainLate: avg(view.train.slice(T - q)),
    unseenMaxDev: Math.max(...view.unseen.map((a) => Math.abs(a - chance))),
    plateauSteps: plateau.steps,
    plateau: plateau.flat ? 1 : 0,
  };
}
