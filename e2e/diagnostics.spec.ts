import type { PlaygroundHook } from '../app/test-hook';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

const diagnostics = (page: Page, id: string) =>
  page.evaluate(
    (runId) => (window.__playground as PlaygroundHook | undefined)?.diagnostics(runId) ?? null,
    id,
  );

test.describe('diagnostics', () => {
  test('the LR finder on the default spiral suggests a rate, leaves the run alone, and applying it changes the config', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const run = await api.current();
    const id = run?.id ?? '';
    const before = (await api.config())?.optimizer.lr;

    await page.getByRole('button', { name: 'Find LR' }).click();
    const finder = page.getByRole('region', { name: 'Learning-rate finder' });
    await expect(finder).toContainText('Smith, 2017');
    const started = Date.now();
    await finder.getByRole('button', { name: 'Run the range test' }).click();
    // The curve is drawn live, point by point.
    await expect
      .poll(async () => Number(await finder.getAttribute('data-points')))
      .toBeGreaterThan(2);
    await expect
      .poll(async () => (await diagnostics(page, id))?.lrFinder.suggested ?? null, {
        timeout: 90_000,
      })
      .not.toBeNull();
    const wall = Date.now() - started;
    const summary = await diagnostics(page, id);
    console.log(
      `LR finder on the default spiral (wasm): ${summary?.lrFinder.points} points, suggests ${summary?.lrFinder.suggested}, ${summary?.lrFinder.wallMs?.toFixed(0)} ms in the worker, ${wall} ms from click to suggestion`,
    );
    await expect(finder.getByRole('img', { name: 'LR range test' })).toHaveAttribute(
      'data-markers',
      /[12]/,
    );

    // The run itself did not move.
    const after = await api.current();
    expect(after?.id).toBe(id);
    expect(after?.step).toBe(0);
    expect(after?.status).toBe('paused');

    const suggested = Number(await finder.getAttribute('data-suggested'));
    expect(suggested).toBeGreaterThan(0);
    await finder.getByRole('button', { name: `Use ${suggested}` }).click();
    await expect.poll(async () => (await api.config())?.optimizer.lr).toBe(suggested);
    expect(suggested).not.toBe(before);
    await expect
      .poll(() => page.evaluate(() => location.hash))
      .toContain(`optimizer.lr=${suggested}`);
  });

  test('the sharpness chart draws points and the 2/lr line for an SGD run', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open(
      '#backend=wasm&optimizer.kind=sgd&optimizer.lr=0.1&schedule.kind=constant&metricsEvery=5',
    );
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const id = (await api.current())?.id ?? '';
    const panel = page.getByTestId('sharpness');
    await expect(panel.getByRole('checkbox', { name: 'Measure while training' })).toBeChecked();
    await panel.getByLabel('every').fill('20');
    await panel.getByLabel('every').press('Enter');
    await playground.play();
    await expect
      .poll(async () => (await diagnostics(page, id))?.sharpness.length ?? 0)
      .toBeGreaterThanOrEqual(3);
    await playground.pause();
    const points = (await diagnostics(page, id))?.sharpness ?? [];
    expect(points.every((p) => Number.isFinite(p.lambdaMax))).toBe(true);
    // SGD at lr 0.1: the stability threshold is 2/lr = 20 at every point.
    for (const p of points) expect(p.threshold).toBeCloseTo(20, 6);
    expect(points.slice(1).every((p) => p.step % 20 === 0)).toBe(true);
    const chart = panel.getByRole('img', { name: 'Sharpness λ_max' });
    await expect(chart).toHaveAttribute('data-lines', '2');
    await expect(panel.locator('canvas')).toHaveCount(1);

    await panel.getByRole('button', { name: 'λ_max now' }).click();
    await expect(page.getByTestId('sharpness-now')).toContainText('threshold 20');
  });

  test('the critical-batch sweep adds one run per batch size, pauses each at the target and fits B_crit', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&metricsEvery=5');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const panel = page.getByTestId('critical-batch');
    await panel.getByLabel('Target loss').fill('0.6');
    await panel.getByLabel('Batch sizes').fill('8, 32, 128');
    await panel.getByRole('button', { name: 'Run the sweep' }).click();
    await expect.poll(async () => (await api.runs()).length).toBe(4);
    await expect(panel.getByTestId('b-crit')).toContainText('B_crit', { timeout: 90_000 });
    // The sweep's runs are ordinary runs in the comparison, and each stopped once it got there.
    const sweep = (await api.runs()).slice(1);
    expect(sweep.map((r) => r.label).join(' ')).toMatch(/8/);
    await expect
      .poll(
        async () =>
          (await api.runs()).slice(1).filter((r) => r.status === 'paused' && r.loss <= 0.6).length,
        { timeout: 90_000 },
      )
      .toBeGreaterThanOrEqual(2);
  });
});
