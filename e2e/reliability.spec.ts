import { expect, test } from './fixtures';
import {
  datasetId,
  DEFAULT_CONFIG,
  DATA_DEFAULTS,
  MODEL_DEFAULTS,
  type RunConfig,
} from '../engine/tf-free';
import { encodeShare } from '../app/state/share-codec';

const base: RunConfig = { ...DEFAULT_CONFIG, backend: 'wasm', steps: 100_000, metricsEvery: 10 };

test.describe('reliability', () => {
  test('a diverging run is marked with its cause and can continue with a smaller rate; the other run goes on', async ({
    page,
    api,
  }) => {
    const healthy = base;
    const wild: RunConfig = {
      ...base,
      optimizer: { kind: 'sgd', lr: 100 },
      model: { ...MODEL_DEFAULTS.mlp, activation: 'linear' },
    };
    await page.goto(`./${encodeShare([healthy, wild])}`);
    await expect
      .poll(async () => (await api.runs()).map((r) => r.status), { timeout: 60_000 })
      .toEqual(['paused', 'paused']);
    for (const r of await api.runs())
      await page
        .getByRole('row', { name: r.label, exact: true })
        .getByRole('button', { name: /^Resume/ })
        .click();
    await expect
      .poll(async () => (await api.runs())[1].status, { timeout: 60_000 })
      .toBe('diverged');
    const diverged = (await api.runs())[1];
    expect(diverged.failure).toMatch(/At step \d+ the (loss|gradient norm) became/);
    const healthyStep = (await api.runs())[0].step;
    await expect.poll(async () => (await api.runs())[0].step).toBeGreaterThan(healthyStep + 20);
    expect((await api.runs())[0].status).toBe('running');

    await page
      .getByRole('button', { name: 'Continue from the last finite state with learning rate ÷ 10' })
      .click();
    await expect.poll(async () => (await api.runs()).length).toBe(3);
    const retry = (await api.runs())[2];
    expect(retry.parentId).toBe(diverged.id);
    expect(retry.optimizer).toBe('sgd');
  });

  test('a run whose worker dies is marked failed and restarts from its snapshot', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&steps=100000&metricsEvery=10');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(50);
    await playground.pause();
    await page.waitForTimeout(2500); // the saver takes a snapshot of the paused run
    await playground.play();
    const id = (await api.current())?.id ?? '';
    expect(await page.evaluate((runId) => window.__playground?.crash(runId), id)).toBe(true);
    await expect.poll(async () => (await api.current())?.status).toBe('failed');
    const restart = page.getByRole('button', { name: /^Restart from step \d+/ });
    const from = Number(/step (\d+)/.exec((await restart.textContent()) ?? '')?.[1]);
    expect(from).toBeGreaterThan(50);
    await restart.click();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(from);
    expect((await api.current())?.status).toBe('running');
  });

  test('a run whose WebGPU device is lost moves to the next backend from its last state and says so', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open('#backend=webgpu&steps=100000&metricsEvery=10');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 90_000 })
      .toBe('paused');
    expect((await api.current())?.backend).toBe('webgpu');
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 90_000 })
      .toBeGreaterThan(20);
    await page.waitForTimeout(3000); // the worker keeps its last finite state every two seconds
    const before = await api.current();
    expect(await page.evaluate((id) => window.__playground?.loseDevice(id), before?.id ?? '')).toBe(
      true,
    );
    // A fresh worker on the next backend of the fallback order takes the run's place.
    await expect
      .poll(async () => (await api.current())?.backend, { timeout: 90_000 })
      .toBe('webgl');
    const moved = await api.current();
    expect(moved?.id).not.toBe(before?.id);
    const said =
      /^The WebGPU device was lost.* at step (\d+); moved to webgl from step (\d+)\.$/.exec(
        moved?.notice ?? '',
      );
    expect(said, moved?.notice ?? 'no notice').not.toBeNull();
    const from = Number(said?.[2]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(Number(said?.[1]));
    expect(moved?.switches.at(-1)).toEqual({ step: from, label: 'moved to webgl' });
    await expect(
      page.getByRole('row', { name: moved?.label, exact: true }).getByRole('status'),
    ).toHaveText(moved?.notice ?? '');
    // It goes on training from there, not from step 0.
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 90_000 })
      .toBeGreaterThan(from + 10);
    expect((await api.current())?.status).toBe('running');
    expect((await api.runs()).length).toBe(1);
  });

  test('a run that exhausts its memory fails alone with a clear message; the other goes on', async ({
    page,
    api,
  }) => {
    await page.goto(`./${encodeShare([base, { ...base, seed: 2 }])}`);
    await expect
      .poll(async () => (await api.runs()).map((r) => r.status), { timeout: 60_000 })
      .toEqual(['paused', 'paused']);
    for (const r of await api.runs())
      await page
        .getByRole('row', { name: r.label, exact: true })
        .getByRole('button', { name: /^Resume/ })
        .click();
    await expect
      .poll(async () => Math.min(...(await api.runs()).map((r) => r.step)), { timeout: 60_000 })
      .toBeGreaterThan(20);
    const [victim] = await api.runs();
    expect(await page.evaluate((id) => window.__playground?.exhaustMemory(id), victim.id)).toBe(
      true,
    );
    await expect.poll(async () => (await api.runs())[0].status).toBe('failed');
    const failed = (await api.runs())[0];
    expect(failed.failureKind).toBe('oom');
    expect(failed.failure).toMatch(
      /^This run ran out of memory \(wasm\) and stopped; other runs are not affected\. Try a smaller model, batch size or sequence length\./,
    );
    await page
      .getByRole('row', { name: failed.label, exact: true })
      .getByRole('button', { name: failed.label, exact: true })
      .click();
    await expect(page.getByRole('alert')).toContainText('ran out of memory (wasm)');
    const otherStep = (await api.runs())[1].step;
    await expect.poll(async () => (await api.runs())[1].step).toBeGreaterThan(otherStep + 20);
    expect((await api.runs())[1].status).toBe('running');
  });

  test('eight runs at once all finish correctly, under the content security policy', async ({
    page,
    api,
  }) => {
    test.setTimeout(180_000);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const configs = Array.from({ length: 8 }, (_, i): RunConfig => ({
      ...base,
      seed: i + 1,
      steps: 150,
    }));
    await page.goto(`./${encodeShare(configs)}`);
    await expect
      .poll(async () => (await api.runs()).filter((r) => r.status === 'paused').length, {
        timeout: 90_000,
      })
      .toBe(8);
    // Resume each in turn; those beyond the machine's limit wait in the queue.
    for (const [i, r] of (await api.runs()).entries()) {
      await page
        .getByRole('row', { name: r.label, exact: true })
        .getByRole('button', { name: /^Resume/ })
        .click();
      await expect.poll(async () => (await api.runs())[i].status).not.toBe('paused');
    }
    await expect
      .poll(async () => (await api.runs()).filter((r) => r.status === 'finished').length, {
        timeout: 150_000,
      })
      .toBe(8);
    for (const r of await api.runs()) {
      expect(r.step).toBe(150);
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.loss).toBeLessThan(r.firstLoss);
    }
    expect(
      await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
    ).toContain("script-src 'self'");
    expect(violations).toEqual([]);
  });

  test('markup in a CSV header or an imported run name is shown as text, never run', async ({
    page,
    api,
  }) => {
    const payload = '<img src=x onerror="window.__xss=1">';
    const csv = `${payload},y,label\n0,0,a\n1,1,b\n0,1,a\n1,0,b\n0.5,0.2,a\n0.2,0.9,b\n`;
    const plain = { ...base, data: DATA_DEFAULTS.csv, model: MODEL_DEFAULTS.mlp };
    const dataset = { id: await datasetId(csv), text: csv };
    const evil = { ...plain, data: { ...DATA_DEFAULTS.csv, dataset: dataset.id } };
    await page.goto(`./${encodeShare([plain, evil], [dataset])}`);
    await expect.poll(async () => (await api.runs()).length, { timeout: 30_000 }).toBe(2);
    // The label names the data by id (the text is no longer in the config); the text itself is
    // shown in the data panel, as text.
    const label = (await api.runs())[1].label;
    expect(label).toMatch(/^dataset sha256:/);
    await expect(page.getByRole('row', { name: label, exact: true })).toBeVisible();
    await expect(
      page.getByLabel('Your CSV: numeric columns, the last one a class label'),
    ).toHaveValue(csv);
    const file = JSON.stringify({ format: 'training-playground/comparison', version: 1, runs: [] });
    await page.getByLabel('Import runs from a JSON file').setInputFiles({
      name: `${payload}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(file),
    });
    await expect(page.getByRole('alert')).toContainText('<img');
    expect(
      await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });
});
