import { expect, test } from './fixtures';

test.describe('a hash pasted into the open tab', () => {
  test('opens its settings; a bad one is said and changes nothing', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open('#backend=wasm&steps=500');
    await expect.poll(async () => (await api.runs()).length, { timeout: 30_000 }).toBe(1);
    await page.evaluate(() => {
      location.hash = '#backend=wasm&steps=12345';
    });
    await expect.poll(async () => (await api.config())?.steps).toBe(12345);
    await expect.poll(async () => (await api.runs()).length).toBe(2);
    expect(await page.evaluate(() => location.hash)).toContain('steps=12345');

    await page.evaluate(() => {
      location.hash = `#${'x'.repeat(100_000)}=1`;
    });
    await expect
      .poll(() => page.evaluate(() => window.__playground?.message() ?? ''))
      .toMatch(/^This link's settings could not be read \(unknown setting "x{80}…/);
    const message = await page.evaluate(() => window.__playground?.message() ?? '');
    expect(message.length).toBeLessThan(300);
    expect((await api.config())?.steps).toBe(12345);
    expect((await api.runs()).length).toBe(2);
    expect(await page.evaluate(() => location.hash)).toContain('steps=12345');
  });
});
