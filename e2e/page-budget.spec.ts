import { expect, test } from './fixtures';

// The page keeps a core and its own drawing off the GPU process while runs train (issue: a
// responsive page). Both rules are checked where they act: the Web Locks the workers hold and the
// 2-D contexts the page's canvases have.

const FAST = '#backend=wasm&steps=100000&metricsEvery=10';

test('on 2 cores two training runs take turns: never more than one computes, both advance', async ({
  page,
  playground,
  api,
}) => {
  test.setTimeout(120_000);
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }),
  );
  await playground.open(FAST);
  await api.untilStatus('paused');
  await playground.play();
  await page.getByRole('button', { name: 'Add run' }).click();
  await playground.play();
  await expect
    .poll(async () => (await api.runs()).filter((r) => r.status === 'running').length, {
      timeout: 60_000,
    })
    .toBe(2);
  const before = (await api.runs()).map((r) => r.step);
  // Sample the origin's locks while both train: every compute slot held or waited for.
  const seen = await page.evaluate(async () => {
    let maxHeld = 0;
    let maxWaiting = 0;
    for (let i = 0; i < 150; i++) {
      const state = await navigator.locks.query();
      const slot = (l: LockInfo) => l.name?.startsWith('playground-compute-') ?? false;
      maxHeld = Math.max(maxHeld, (state.held ?? []).filter(slot).length);
      maxWaiting = Math.max(maxWaiting, (state.pending ?? []).filter(slot).length);
      await new Promise((r) => setTimeout(r, 10));
    }
    return { maxHeld, maxWaiting };
  });
  expect(seen.maxHeld).toBe(1);
  // Two runs, one slot: the other run was seen waiting for it.
  expect(seen.maxWaiting).toBeGreaterThanOrEqual(1);
  const after = (await api.runs()).map((r) => r.step);
  expect(after[0]).toBeGreaterThan(before[0]);
  expect(after[1]).toBeGreaterThan(before[1]);
});

test("the page's 2-D canvases are CPU-backed (drawn outside the GPU process)", async ({
  page,
  playground,
  api,
}) => {
  await playground.open(FAST);
  await api.untilStatus('paused');
  await playground.play();
  await api.untilPast(20);
  const contexts = await page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((c) => {
      const ctx = c.getContext('2d');
      return ctx ? ctx.getContextAttributes().willReadFrequently === true : null;
    }),
  );
  const twoD = contexts.filter((c) => c !== null);
  // The loss chart, the accuracy chart and the decision boundary at least.
  expect(twoD.length).toBeGreaterThanOrEqual(3);
  expect(twoD.every(Boolean), JSON.stringify(contexts)).toBe(true);
});
