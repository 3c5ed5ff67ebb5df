/**
 * Times the default run of each dataset/model pair as a user gets it in the app: the test build
 * (dist-test/, `npm run build:test`) in Chromium, one click on the dataset (and on the model when
 * it is not the dataset's first), then Play, with the backend the app picks (auto). Prints, per
 * pair: the backend, the steps, seconds from the click to Play enabled (data, backend probe),
 * seconds from Play to finished, and steps per second while training. One run at a time.
 *   npx tsx scripts/time-defaults.ts [dataset:model ...]   e.g. mnist:cnn chars:moe
 * The figures MODEL_STEPS (engine/models/schema.ts) are sized from come from this script.
 */
import { resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { startServer, staticFiles } from './static-server';
import type { PlaygroundHook, RunSummary } from '../app/test-hook';

/** The dataset tiles' names (app/components/DatasetPicker.svelte) and the model select's values. */
const TILES: Record<string, string> = {
  spiral: 'Spiral',
  mnist: 'MNIST digits',
  chars: 'Generated text',
  modular: 'Modular arithmetic',
  'in-context': 'In-context tasks',
  text: 'Your text',
  csv: 'Your CSV',
};

const PAIRS = [
  'spiral:mlp',
  'mnist:cnn',
  'mnist:cct',
  'mnist:mlp',
  'chars:transformer',
  'chars:moe',
  'text:transformer',
  'text:moe',
  'modular:transformer',
  'modular:moe',
  'in-context:transformer',
];

interface Timing {
  pair: string;
  backend: string | null;
  steps: number;
  prepareS: number;
  trainS: number;
  stepsPerS: number;
  testLoss: number;
  status: string;
  lr: number;
}

async function time(browser: Browser, origin: string, pair: string): Promise<Timing> {
  const [dataset, model] = pair.split(':');
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript('globalThis.__name = (f) => f;');
  const last = async (): Promise<RunSummary | undefined> =>
    page.evaluate(() => {
      const runs = (window.__playground as PlaygroundHook | undefined)?.runs() ?? [];
      return runs[runs.length - 1];
    });
  try {
    await page.goto(origin + '/');
    const play = page.getByRole('button', { name: 'Play', exact: true });
    await play.waitFor({ timeout: 120_000 });
    if (dataset !== 'spiral') await page.getByRole('radio', { name: TILES[dataset] }).click();
    const select = page.getByLabel('Model', { exact: true });
    if ((await select.count()) > 0 && (await select.inputValue()) !== model)
      await select.selectOption(model);
    const clicked = Date.now();
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLButtonElement>('button[aria-label="Play"]')?.disabled === false,
      null,
      { timeout: 300_000, polling: 250 },
    );
    const config = await page.evaluate(() => window.__playground?.config());
    if (config?.data.kind !== dataset || config.model.kind !== model)
      throw new Error(`the app shows ${config?.data.kind}:${config?.model.kind}, not ${pair}`);
    await play.click();
    const pressed = Date.now();
    let firstStep: { at: number; step: number } | null = null;
    let run = await last();
    while (run && !['finished', 'diverged', 'failed'].includes(run.status)) {
      if (!firstStep && run.step > 0) firstStep = { at: Date.now(), step: run.step };
      await page.waitForTimeout(250);
      run = await last();
    }
    const done = Date.now();
    const steps = run?.step ?? 0;
    const from = firstStep ?? { at: pressed, step: 0 };
    return {
      pair,
      backend: run?.backend ?? null,
      steps,
      prepareS: (pressed - clicked) / 1000,
      trainS: (done - pressed) / 1000,
      stepsPerS: (steps - from.step) / ((done - from.at) / 1000),
      testLoss: run?.testLoss ?? Number.NaN,
      status: run?.status ?? 'none',
      lr: config.optimizer.lr,
    };
  } finally {
    await context.close();
  }
}

const pairs = process.argv.length > 2 ? process.argv.slice(2) : PAIRS;
const app = await startServer(staticFiles(resolve('dist-test')));
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const pair of pairs) {
    const t = await time(browser, app.origin, pair);
    console.log(
      [
        t.pair.padEnd(24),
        String(t.backend).padEnd(6),
        `steps ${t.steps}`,
        `lr ${t.lr}`,
        `prepare ${t.prepareS.toFixed(1)} s`,
        `play→end ${t.trainS.toFixed(1)} s`,
        `${t.stepsPerS.toFixed(2)} steps/s`,
        `test loss ${t.testLoss.toFixed(3)}`,
        t.status,
      ].join('  '),
    );
  }
} finally {
  await browser.close();
  await app.close();
}
