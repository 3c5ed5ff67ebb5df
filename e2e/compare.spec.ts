import { expect, test } from './fixtures';

const FAST = '#backend=wasm&steps=100000&metricsEvery=10';

test.describe('compare, fork, persist and share', () => {
  test('three runs, a fork mid-run, a reload: all four come back with their curves and resume', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    await playground.open(FAST);
    await expect.poll(async () => (await api.runs()).length).toBe(1);
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    const lr = page.getByRole('combobox', { name: 'Learning rate' });
    const batch = page.getByRole('combobox', { name: 'Batch size' });
    // Two more runs, each a draft copy of the selected one with one setting changed, then started.
    await page.getByRole('button', { name: 'Add run' }).click();
    await lr.selectOption('0.003');
    await playground.play();
    await page.getByRole('button', { name: 'Add run' }).click();
    await batch.selectOption('8');
    await playground.play();
    await expect.poll(async () => (await api.runs()).length).toBe(3);
    const runs = () => api.runs();
    // Rows by position: a fork with no change has the same label as its parent.
    const rowAt = (i: number) =>
      page
        .getByRole('table', { name: 'Runs' })
        .getByRole('row')
        .nth(i + 1);
    const row = (label: string) => page.getByRole('row', { name: label, exact: true });

    // This machine trains at most `limit` runs at once; the third waits in the queue.
    await expect
      .poll(
        async () => {
          const [a, b, c] = await runs();
          return a.step >= 30 && b.step >= 30 && (c.status === 'queued' || c.step >= 30);
        },
        { timeout: 90_000 },
      )
      .toBe(true);
    const labels = (await runs()).map((r) => r.label);
    expect(new Set(labels).size).toBe(3);
    if ((await runs())[2].status === 'queued')
      await expect(page.getByRole('heading', { name: /waiting/ })).toBeVisible();
    await row(labels[0])
      .getByRole('button', { name: /^Pause/ })
      .click();
    await expect
      .poll(async () => (await runs())[2].step, { timeout: 90_000 })
      .toBeGreaterThanOrEqual(30);
    await row(labels[1])
      .getByRole('button', { name: /^Pause/ })
      .click();

    // Fork the first run with no change.
    const first = (await runs())[0];
    await row(first.label).getByRole('button', { name: /^Fork/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Fork and train' }).click();
    await expect.poll(async () => (await runs()).length).toBe(4);
    const fork = (await runs())[3];
    expect(fork.parentId).toBe(first.id);
    expect(fork.forkStep).toBe(first.step);
    await expect
      .poll(async () => (await runs())[3].step, { timeout: 60_000 })
      .toBeGreaterThan(fork.forkStep ?? 0);

    // Pause everything, let the saver catch up, reload.
    await expect
      .poll(
        async () => {
          for (const [i, r] of (await api.runs()).entries()) {
            if (r.status !== 'running' && r.status !== 'queued') continue;
            // A queued run may start between the check and the click: try again on the next poll.
            await rowAt(i)
              .getByRole('button', { name: /^Pause/ })
              .click({ timeout: 10_000 })
              .catch(() => undefined);
          }
          return (await api.runs()).every((r) => r.status === 'paused');
        },
        { timeout: 90_000 },
      )
      .toBe(true);
    // A chunk already in flight when Pause was pressed still lands: read the runs once it has
    // and the saver has caught up.
    await page.waitForTimeout(4500);
    const before = await api.runs();
    await page.reload();
    await expect.poll(async () => (await api.runs()).length, { timeout: 30_000 }).toBe(4);
    const after = await api.runs();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    for (const [i, r] of after.entries()) {
      expect(r.step).toBe(before[i].step);
      expect(r.points).toBe(before[i].points);
    }
    expect(after[3].parentId).toBe(first.id);

    // A restored run resumes from its snapshot.
    await expect.poll(async () => (await api.runs())[1].status, { timeout: 60_000 }).toBe('paused');
    await rowAt(1)
      .getByRole('button', { name: /^Resume/ })
      .click();
    await expect
      .poll(async () => (await api.runs())[1].step, { timeout: 60_000 })
      .toBeGreaterThan(before[1].step);
  });

  test('importing a malformed file shows a message and changes nothing', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open(FAST);
    await expect.poll(async () => (await api.runs()).length).toBe(1);
    const before = await api.runs();
    for (const [name, body] of [
      ['broken.json', '{"format": "training-playground/comparison", "runs": [ '],
      [
        'wrong.json',
        '{"format": "training-playground/comparison", "version": 1, "runs": [{"run": {"id": "x"}}]}',
      ],
    ]) {
      await page
        .getByLabel('Import runs from a JSON file')
        .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
      await expect(page.getByRole('alert')).toContainText(`${name} was not imported`);
      await expect(page.getByRole('alert')).toContainText('Nothing was changed');
      expect((await api.runs()).map((r) => r.id)).toEqual(before.map((r) => r.id));
    }
  });

  test('a share link opens the same comparison in a fresh browser', async ({
    playground,
    api,
    page,
    browser,
  }) => {
    await playground.open(FAST);
    await expect.poll(async () => (await api.runs()).length).toBe(1);
    await page.getByRole('button', { name: 'Add run' }).click();
    await expect.poll(async () => (await api.runs()).length).toBe(2);
    // The new run is a draft, selected: switching its optimizer leaves the first run on Adam.
    await page.getByRole('combobox', { name: 'Optimizer' }).selectOption('lion');
    await expect
      .poll(async () => (await api.runs()).map((r) => r.optimizer))
      .toEqual(['adam', 'lion']);
    const configs = (await api.runs()).map((r) => r.label);
    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.getByLabel('Share link').inputValue();
    expect(link).toContain('#compare=');

    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(link);
    await expect
      .poll(() => other.evaluate(() => window.__playground?.runs().map((r) => r.label)))
      .toEqual(configs);
    const optimizers = await other.evaluate(() =>
      window.__playground?.runs().map((r) => r.optimizer),
    );
    expect(optimizers).toEqual(['adam', 'lion']);
    await fresh.close();
  });
});
