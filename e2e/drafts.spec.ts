import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test, type PlaygroundApi } from './fixtures';

/** The runs-and-edits model (README "Runs and edits"): drafts, switches, the config history. */

const SHORT = '#backend=wasm&steps=60&metricsEvery=10';
const LONG = '#backend=wasm&steps=100000&metricsEvery=10';

async function ready(api: PlaygroundApi): Promise<void> {
  await expect.poll(async () => (await api.runs()).length).toBe(1);
  await expect.poll(async () => (await api.current())?.status, { timeout: 60_000 }).toBe('paused');
}

async function downloaded(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = await file.path();
  return readFile(path, 'utf8');
}

/** The settings the panels show, read from the page itself. */
async function shown(page: Page) {
  return {
    steps: Number(await page.getByRole('spinbutton', { name: 'Total steps' }).inputValue()),
    dataset: await page
      .getByRole('radiogroup', { name: 'Dataset' })
      .getByRole('radio', { checked: true })
      .getAttribute('aria-label'),
  };
}

test.describe('runs and edits', () => {
  test('editing a finished run leaves it unchanged and starts a draft from it', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open(SHORT);
    await ready(api);
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('finished');
    const finished = await api.current();
    // 60 steps of 32 examples over the 200 training points: 9.6 epochs.
    await expect(page.getByLabel('Epoch count')).toHaveText('9.6');
    const lr = page.getByRole('combobox', { name: 'Learning rate' });
    await lr.selectOption('0.003');

    await expect.poll(async () => (await api.runs()).length).toBe(2);
    const [kept, draft] = await api.runs();
    expect(kept.id).toBe(finished?.id);
    expect(kept.status).toBe('finished');
    expect(kept.step).toBe(finished?.step);
    expect(kept.history).toHaveLength(1);
    expect(kept.history[0].config.optimizer.lr).toBe(0.03);
    expect(kept.switches).toEqual([]);
    expect(draft.status).toBe('draft');
    expect(draft.baseId).toBe(kept.id);
    expect((await api.config())?.optimizer.lr).toBe(0.003);

    const note = page.getByRole('region', { name: 'Draft' });
    await expect(note).toContainText('new run from');
    await expect(note.getByRole('list', { name: /Changes/ })).toContainText('optimizer.lr');
    await note.screenshot({ path: test.info().outputPath('draft-diff.png') });
    await page.screenshot({ path: test.info().outputPath('draft-page.png') });

    // A second edit changes the draft in place; Play makes it a run.
    await page.getByRole('combobox', { name: 'Batch size' }).selectOption('8');
    await expect
      .poll(async () => (await api.runs()).map((r) => r.status))
      .toEqual(['finished', 'draft']);
    expect((await api.current())?.history[0].config.batchSize).toBe(8);
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect((await api.runs())[0].history[0].config.optimizer.lr).toBe(0.03);
  });

  test('a hot change during training is a marked switch, recorded in the label and the exports', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open(LONG);
    await ready(api);
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(30);
    await page.getByRole('combobox', { name: 'Learning rate' }).selectOption('0.003');
    await expect.poll(async () => (await api.current())?.switches.length).toBe(1);
    const run = await api.current();
    expect(run?.status).toBe('running');
    const at = run?.switches[0].step ?? 0;
    expect(run?.history.map((h) => [h.fromStep, h.config.optimizer.lr])).toEqual([
      [0, 0.03],
      [at + 1, 0.003],
    ]);
    expect(run?.label).toContain(`from step ${at + 1}: lr 0.003`);
    await expect(page.getByRole('img', { name: 'Loss' })).toHaveAttribute('data-markers', '1');
    await expect(page.getByRole('list', { name: 'Switches' })).toContainText(`from step ${at + 1}`);
    await expect.poll(async () => (await api.current())?.step ?? 0).toBeGreaterThan(at + 20);
    await playground.pause();

    const json = JSON.parse(await downloaded(page, 'Export runs')) as {
      runs: { run: { history?: { fromStep: number; config: { optimizer: { lr: number } } }[] } }[];
    };
    expect(json.runs[0].run.history?.map((h) => [h.fromStep, h.config.optimizer.lr])).toEqual([
      [0, 0.03],
      [at + 1, 0.003],
    ]);

    const rows = (await downloaded(page, 'Metrics CSV'))
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const header = rows[0];
    const step = header.indexOf('step');
    const config = header.indexOf('config');
    expect(config).toBeGreaterThan(0);
    const noteAt = (s: number) => rows.find((r) => Number(r[step]) === s)?.[config];
    expect(noteAt(at)).toBe('initial');
    expect(noteAt(at + 1)).toBe('lr 0.003');
  });

  test('Add run makes a paused draft: an edit right after it does not switch the training run', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open(LONG);
    await ready(api);
    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(10);
    await page.getByRole('button', { name: 'Add run' }).click();
    await expect
      .poll(async () => (await api.runs()).map((r) => r.status))
      .toEqual(['running', 'draft']);
    await page.getByRole('combobox', { name: 'Learning rate' }).selectOption('0.003');
    await expect
      .poll(async () => (await api.current())?.history[0].config.optimizer.lr)
      .toBe(0.003);
    await page.getByRole('combobox', { name: 'Optimizer' }).selectOption('lion');
    await expect.poll(async () => (await api.current())?.optimizer).toBe('lion');
    const steps = page.getByRole('spinbutton', { name: 'Total steps' });
    await steps.fill('500');
    await steps.press('Enter');
    await expect.poll(async () => (await api.current())?.history[0].config.steps).toBe(500);

    const [first, draft] = await api.runs();
    expect(first.switches).toEqual([]);
    expect(first.history).toHaveLength(1);
    expect(first.optimizer).toBe('adam');
    expect(first.history[0].config.steps).toBe(100000);
    expect(draft.status).toBe('draft');
    expect(draft.step).toBe(0);

    await playground.play();
    await expect
      .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    const started = await api.current();
    expect(started?.switches).toEqual([]);
    expect(started?.history).toHaveLength(1);
    expect(started?.history[0].config.optimizer.kind).toBe('lion');
  });

  test('after an import and after starting a preset, the panels show the selected run', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(SHORT);
    await ready(api);
    const base = await api.config();
    if (!base) throw new Error('no config');
    const config = { ...base, data: { ...base.data, kind: 'circles' }, steps: 5000 };
    const run = {
      id: 'imported',
      createdAt: 1,
      label: 'circles',
      color: '#0877bd',
      config,
      status: 'finished',
      step: 0,
      hidden: false,
    };
    const file = JSON.stringify({
      format: 'training-playground/comparison',
      version: 1,
      runs: [{ run, metrics: null }],
    });
    await page
      .getByLabel('Import runs from a JSON file')
      .setInputFiles({ name: 'one.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect.poll(async () => (await api.runs()).length).toBe(2);
    await expect.poll(async () => (await api.config())?.steps).toBe(5000);
    expect(await shown(page)).toEqual({ steps: 5000, dataset: 'Circles' });

    await page.getByText('Paper gallery').click();
    const gallery = page.getByRole('region', { name: 'Paper gallery' });
    await gallery
      .getByRole('button', { name: 'Quick look at LAMB and LARS at large batch' })
      .click();
    await expect.poll(async () => (await api.runs()).length).toBeGreaterThan(2);
    const selected = await api.current();
    const want = selected?.history[selected.history.length - 1].config;
    expect(await api.config()).toEqual(want);
    expect(want?.data.kind).toBe('mnist');
    const panels = await shown(page);
    expect(panels.steps).toBe(want?.steps);
    expect(panels.dataset).not.toBe('Circles');
    expect(panels.dataset).not.toBe('Spiral');
  });
});
