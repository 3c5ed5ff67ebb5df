import { expect, test } from './fixtures';

test.describe('default runs', () => {
  test("picking a dataset or a model brings that pair's steps and rate", async ({
    playground,
    api,
    page,
  }) => {
    await playground.open();
    const settings = async () => {
      const config = await api.config();
      return [config?.data.kind, config?.model.kind, config?.steps, config?.optimizer.lr];
    };
    await page.getByRole('radio', { name: 'Modular arithmetic' }).click();
    await expect.poll(settings).toEqual(['modular', 'transformer', 1000, 0.003]);
    await page.getByLabel('Model', { exact: true }).selectOption('moe');
    await expect.poll(settings).toEqual(['modular', 'moe', 1000, 0.003]);
    await page.getByRole('radio', { name: 'MNIST digits' }).click();
    await expect.poll(settings).toEqual(['mnist', 'cnn', 500, 0.03]);
    await page.getByLabel('Model', { exact: true }).selectOption('cct');
    await expect.poll(settings).toEqual(['mnist', 'cct', 200, 0.01]);
    // Another optimizer keeps the rate it was given.
    await page.getByRole('combobox', { name: 'Optimizer' }).selectOption('sgd');
    await page.getByRole('radio', { name: 'Generated text' }).click();
    await expect.poll(async () => (await api.config())?.optimizer.kind).toBe('sgd');
    const sgdLr = (await api.config())?.optimizer.lr;
    await page.getByRole('radio', { name: 'Modular arithmetic' }).click();
    await expect.poll(settings).toEqual(['modular', 'transformer', 1000, sgdLr]);
  });
});
