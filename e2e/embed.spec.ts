import { readFileSync } from 'node:fs';
import type { Frame, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { EmbedState } from '../app/embed/hook';
import { startServer, type TestServer } from '../scripts/static-server';

interface Recorded {
  readonly id: string;
  readonly type: string;
  readonly detail: {
    step?: number;
    loss?: number | null;
    accuracy?: number | null;
    backend?: string;
  };
}

declare global {
  interface Window {
    __events?: Recorded[];
  }
}

/**
 * The docs demo page (public/docs/index.html) served from another origin than the app, loading the
 * app's embed.js the way a docs site would. The widgets train on WASM (fast on these machines), the
 * first one with a long budget so it is still training when the test scrolls it away.
 */
function hostPage(embedJs: string): string {
  const docs = readFileSync('public/docs/index.html', 'utf8');
  const extra = `
    <training-playground id="bad" preset="spiral-adam" height="banana"></training-playground>
    <button id="host-button" type="button">Host button</button>
    <div style="height: 3000px"></div>
    <script type="module">
      window.__events = [];
      for (const el of document.querySelectorAll('training-playground')) {
        for (const type of ['ready', 'step', 'finished', 'failed']) {
          el.addEventListener(type, (e) => window.__events.push({ id: el.id, type, detail: e.detail }));
        }
      }
      const button = document.getElementById('host-button');
      button.addEventListener('click', () => (button.dataset.clicks = String(Number(button.dataset.clicks ?? 0) + 1)));
    </script>
  </body>`;
  return docs
    .replace('src="../embed.js"', `src="${embedJs}"`)
    .replace(
      'preset="spiral-adam" controls="optimizer,lr"',
      'preset="spiral-adam" controls="optimizer,lr" config="steps=100000" backend="wasm"',
    )
    .replace(
      'preset="xor-lamb" controls="batch,dataset"',
      'preset="xor-lamb" controls="batch,dataset,wings" backend="wasm"',
    )
    .replace('</body>', extra);
}

async function widgetFrame(page: Page, id: string): Promise<Frame> {
  const handle = await page.locator(`#${id} iframe`).elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error(`widget ${id} has no frame`);
  return frame;
}

async function embedState(frame: Frame): Promise<EmbedState | undefined> {
  return frame.evaluate(() => window.__embed?.state());
}

const events = (page: Page) => page.evaluate(() => window.__events ?? []);

test.describe('embeddable widget on another origin', () => {
  let host: TestServer;
  let appOrigin: string;

  test.beforeAll(async ({ baseURL }) => {
    appOrigin = new URL(baseURL ?? 'http://localhost:4173/').origin;
    const html = hostPage(`${appOrigin}/embed.js`);
    host = await startServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(html);
    });
  });
  test.afterAll(async () => {
    await host?.close();
  });

  test('two widgets train and report events; a bad one shows a message; scrolling away pauses', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${host.origin}/docs/`);
    expect(new URL(page.url()).origin).not.toBe(appOrigin);

    // A bad attribute: a message inside the widget box, no iframe, and the host page still works.
    await expect(page.locator('#bad').getByRole('alert')).toContainText('could not start: height');
    await expect(page.locator('#bad iframe')).toHaveCount(0);
    await page.getByRole('button', { name: 'Host button' }).click();
    await expect(page.getByRole('button', { name: 'Host button' })).toHaveAttribute(
      'data-clicks',
      '1',
    );

    const spiral = await widgetFrame(page, 'spiral');
    const xor = await widgetFrame(page, 'xor');
    expect(new URL(spiral.url()).origin).toBe(appOrigin);
    await expect(spiral.getByRole('button', { name: 'Play' })).toBeVisible();
    // An unknown control name is reported inside the widget; the known ones are there.
    await expect(xor.getByRole('alert')).toContainText('Unknown control "wings"');
    await expect(xor.getByLabel('Batch size')).toBeVisible();
    await expect(spiral.getByLabel('Optimizer')).toHaveValue('adam');

    await expect
      .poll(
        async () =>
          (await events(page))
            .filter((e) => e.type === 'ready')
            .map((e) => e.id)
            .sort(),
        { timeout: 45_000 },
      )
      .toEqual(['spiral', 'xor']);
    const ready = (await events(page)).find((e) => e.type === 'ready');
    expect(ready?.detail.backend).toBe('wasm');

    await spiral.getByRole('button', { name: 'Play' }).click();
    await xor.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(async () => {
        const steps = (await events(page)).filter(
          (e) => e.type === 'step' && (e.detail.step ?? 0) > 0,
        );
        return [...new Set(steps.map((e) => e.id))].sort();
      })
      .toEqual(['spiral', 'xor']);
    const step = (await events(page)).find(
      (e) => e.type === 'step' && e.id === 'spiral' && e.detail.loss !== null,
    );
    expect(step?.detail).toEqual({
      step: expect.any(Number),
      loss: expect.any(Number),
      testLoss: expect.any(Number),
      accuracy: expect.any(Number),
    });
    // XOR with LAMB has a 400-step budget: it finishes and says so.
    await expect
      .poll(async () => (await events(page)).some((e) => e.type === 'finished' && e.id === 'xor'))
      .toBe(true);

    // Only the widget's own iframe may speak for it: a message posted by the host page itself is ignored.
    await page.evaluate(() =>
      window.postMessage(
        {
          source: 'training-playground',
          type: 'finished',
          detail: { step: 1, loss: null, testLoss: null, accuracy: null },
        },
        '*',
      ),
    );

    // Scrolled out of view, the spiral holds; back in view, it trains on.
    await expect.poll(async () => (await embedState(spiral))?.status).toBe('running');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect
      .poll(async () => embedState(spiral))
      .toMatchObject({ held: true, status: 'paused', wantsToRun: true });
    // The widget says "paused" at once; the chunk the worker had in flight still lands, and then
    // the step stays put. A run that kept training would never settle.
    const stepAfter = async (ms: number) => {
      await page.waitForTimeout(ms);
      return (await embedState(spiral))?.step ?? 0;
    };
    let heldAt = await stepAfter(0);
    await expect
      .poll(async () => {
        const before = heldAt;
        heldAt = await stepAfter(300);
        return heldAt === before;
      })
      .toBe(true);
    expect(await stepAfter(1000)).toBe(heldAt);
    await page.locator('#spiral').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await embedState(spiral))?.step ?? 0).toBeGreaterThan(heldAt);

    expect(
      (await events(page)).filter(
        (e) => e.type === 'finished' && (e.id !== 'xor' || e.detail.step === 1),
      ),
    ).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('the widget links to the full playground with its config', async ({ page }) => {
    await page.goto('./embed.html?preset=circles-sgd&backend=wasm');
    const link = page.getByRole('link', { name: /Open in the full playground/ });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/\/index\.html#/);
    const hash = new URL(href ?? '').hash;
    expect(hash).toContain('data.kind=circles');
    expect(hash).toContain('optimizer.kind=sgd');
    expect(hash).toContain('backend=wasm');
  });
});
