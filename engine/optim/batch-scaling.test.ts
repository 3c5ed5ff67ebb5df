import { describe, expect, it } from 'vitest';
import { scaledLr } from './batch-scaling';
import { OPTIMIZERS } from './schema';

// docs/algorithms.md#learning-rate-and-batch-size: η₀ = 0.1 (SGD), 1e-3 (Adam), B₀ = 32.
const TABLE = [
  { batch: 8, sgd: 0.025, adam: 0.0005 },
  { batch: 128, sgd: 0.4, adam: 0.002 },
  { batch: 512, sgd: 1.6, adam: 0.004 },
];

describe('scaledLr', () => {
  it.each(TABLE)('B=$batch: SGD $sgd, Adam $adam', ({ batch, sgd, adam }) => {
    expect(scaledLr(0.1, batch, 32, 'linear', 'sgd')).toBeCloseTo(sgd, 12);
    expect(scaledLr(1e-3, batch, 32, 'sqrt', 'adam')).toBeCloseTo(adam, 12);
    expect(scaledLr(0.1, batch, 32, 'auto', 'sgd')).toBeCloseTo(sgd, 12);
    expect(scaledLr(1e-3, batch, 32, 'auto', 'adam')).toBeCloseTo(adam, 12);
    expect(scaledLr(0.1, batch, 32, 'off', 'sgd')).toBe(0.1);
  });

  it('auto: linear for the SGD family, square root for the Adam family', () => {
    for (const kind of ['sgd', 'momentum', 'nesterov', 'lars'] as const) expect(scaledLr(1, 128, 32, 'auto', kind)).toBe(4);
    for (const kind of ['adam', 'adamw', 'lamb', 'rmsprop', 'adagrad', 'lion', 'muon'] as const) expect(scaledLr(1, 128, 32, 'auto', kind)).toBe(2);
    for (const kind of OPTIMIZERS) expect(scaledLr(0.3, 32, 32, 'auto', kind)).toBe(0.3);
  });

  it('rejects non-positive batch sizes', () => {
    expect(() => scaledLr(0.1, 0, 32, 'linear', 'sgd')).toThrow();
  });
});
