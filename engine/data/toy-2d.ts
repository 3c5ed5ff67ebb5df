import type { Toy2DConfig, Toy2DKind } from './schema';
import { createRng, permutation, type Rng } from '../rng';

/**
 * Seeded 2-D toy datasets in the spirit of the TensorFlow Playground, in coordinates
 * scaled to [-1, 1]. Classification labels are 0/1; the regression plane has a real target.
 */
export interface Toy2D {
  /** Interleaved (x, y) pairs. */
  readonly x: Float32Array;
  /** Class index (0/1) or regression target, one per point. */
  readonly y: Float32Array;
  readonly count: number;
}

export interface Toy2DSplit {
  readonly train: Toy2D;
  readonly test: Toy2D;
  readonly kind: Toy2DKind;
}

type Point = [x: number, y: number, label: number];
type Generator = (rng: Rng, n: number, noise: number) => Point[];

const clampUnit = (a: number) => Math.max(-1, Math.min(1, a));

const spiral: Generator = (rng, n, noise) => {
  const pts: Point[] = [];
  const perArm = Math.ceil(n / 2);
  for (let arm = 0; arm < 2; arm++) {
    for (let i = 0; i < perArm && pts.length < n; i++) {
      const r = (i / perArm) * 0.9;
      const t = 1.75 * (i / perArm) * 2 * Math.PI + arm * Math.PI;
      pts.push([
        r * Math.sin(t) + noise * rng.normal(),
        r * Math.cos(t) + noise * rng.normal(),
        arm,
      ]);
    }
  }
  return pts;
};

const circles: Generator = (rng, n, noise) => {
  const pts: Point[] = [];
  for (let i = 0; i < n; i++) {
    const inner = i % 2 === 0;
    const r = inner ? rng.next() * 0.4 : 0.6 + rng.next() * 0.3;
    const a = rng.next() * 2 * Math.PI;
    pts.push([
      r * Math.sin(a) + noise * rng.normal(),
      r * Math.cos(a) + noise * rng.normal(),
      inner ? 1 : 0,
    ]);
  }
  return pts;
};

const xor: Generator = (rng, n, noise) => {
  const pts: Point[] = [];
  const pad = 0.05;
  for (let i = 0; i < n; i++) {
    let x = rng.next() * 1.8 - 0.9;
    let y = rng.next() * 1.8 - 0.9;
    x += x > 0 ? pad : -pad;
    y += y > 0 ? pad : -pad;
    pts.push([x + noise * rng.normal(), y + noise * rng.normal(), x * y >= 0 ? 1 : 0]);
  }
  return pts;
};

const gaussians: Generator = (rng, n, noise) => {
  const pts: Point[] = [];
  const spread = 0.1 + noise;
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const c = label === 1 ? 0.4 : -0.4;
    pts.push([c + spread * rng.normal(), c + spread * rng.normal(), label]);
  }
  return pts;
};

const plane: Generator = (rng, n, noise) => {
  const pts: Point[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.next() * 2 - 1;
    const y = rng.next() * 2 - 1;
    pts.push([x, y, 0.5 * (x + y) + noise * rng.normal()]);
  }
  return pts;
};

const GENERATORS: Record<Toy2DKind, Generator> = { spiral, circles, xor, gaussians, plane };

function pack(points: readonly Point[]): Toy2D {
  const x = new Float32Array(points.length * 2);
  const y = new Float32Array(points.length);
  points.forEach(([a, b, label], i) => {
    x[2 * i] = clampUnit(a);
    x[2 * i + 1] = clampUnit(b);
    y[i] = label;
  });
  return { x, y, count: points.length };
}

/**
 * Generates the dataset and splits it; the same config and seed always give the same points.
 * The config's `dataSeed`, when set, replaces the run's `seed`.
 */
export function makeToy2D(config: Toy2DConfig, seed: number): Toy2DSplit {
  const rng = createRng((config.dataSeed ?? seed) ^ 0x5eed);
  const points = GENERATORS[config.kind](rng, config.samples, config.noise);
  const order = permutation(rng, points.length);
  const shuffled = Array.from(order, (i) => points[i]);
  const nTrain = Math.max(
    1,
    Math.min(points.length - 1, Math.round(points.length * config.trainFraction)),
  );
  return {
    kind: config.kind,
    train: pack(shuffled.slice(0, nTrain)),
    test: pack(shuffled.slice(nTrain)),
  };
}
