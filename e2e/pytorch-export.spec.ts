import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import { expect, test } from './fixtures';

test('Export as PyTorch: says what is reproduced, then downloads the script, its data and the weights', async ({
  playground,
  api,
  page,
}) => {
  test.setTimeout(120_000);
  await playground.open('#backend=wasm&steps=100000&metricsEvery=10');
  await expect.poll(async () => (await api.current())?.status, { timeout: 60_000 }).toBe('paused');
  await playground.play();
  await expect
    .poll(async () => (await api.current())?.step ?? 0, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(20);
  await playground.pause();

  await page.getByRole('button', { name: 'Export as PyTorch…' }).click();
  const panel = page.getByRole('region', { name: 'Export as PyTorch' });
  await expect(panel).toContainText('Everything this run configures is reproduced');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: /Download/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('run-pytorch.zip');
  const files = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(files).sort()).toEqual([
    'run-pytorch/run-data.safetensors',
    'run-pytorch/run-weights.safetensors',
    'run-pytorch/run.py',
  ]);
  const script = new TextDecoder().decode(files['run-pytorch/run.py']);
  expect(script).toContain('torchrun --nproc_per_node=N run.py');
  expect(script).toContain('WEIGHTS_FILE = "run-weights.safetensors"');
  // The weights file says where the run was: the step it continues from.
  const weights = files['run-pytorch/run-weights.safetensors'];
  const n = Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
  const meta = (
    JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + n))) as {
      __metadata__: { step: string };
    }
  ).__metadata__;
  expect(Number(meta.step)).toBeGreaterThanOrEqual(20);
});
