import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { DEFAULT_CONFIG, OPTIMIZER_DEFAULTS, SCHEDULE_DEFAULTS } from '../engine/tf-free';
import { encodeShare } from '../app/state/share-codec';
import { expect, test } from './fixtures';

/** Moves the mouse across a chart's plot area to `fraction` of its width. */
async function hover(page: Page, chart: Locator, fraction: number): Promise<void> {
  const over = chart.locator('.u-over');
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  if (!box) throw new Error('no plot area');
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2, { steps: 4 });
}

/** Screenshots for the report go beside the test's other output. */
const shot = (name: string) => test.info().outputPath(`${name}.png`);

test.describe('charts people can read, a page that fits', () => {
  test('the first screen at 1400x900 has no serious axe violations', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await page.screenshot({ path: shot('first-screen-1400x900') });
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    const summary = serious.map(
      (v) =>
        `${v.id} (${v.nodes.length}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
    const nodes = serious.reduce((n, v) => n + v.nodes.length, 0);
    console.log(`axe serious/critical violations: ${serious.length} rules, ${nodes} nodes`);
    expect(summary).toEqual([]);
    // The loss chart, the output and the controls are on the first screen.
    const chart = await page.getByRole('img', { name: 'Loss', exact: true }).boundingBox();
    expect(chart && chart.y + chart.height).toBeLessThanOrEqual(900);
  });

  test('hover shows every visible run’s value; colours differ; labels read well', async ({
    playground,
    api,
    page,
  }) => {
    const base = { ...DEFAULT_CONFIG, steps: 60, metricsEvery: 10 };
    const configs = [
      base,
      { ...base, optimizer: { ...OPTIMIZER_DEFAULTS.sgd, lr: 0.1 } },
      {
        ...base,
        schedule: {
          ...SCHEDULE_DEFAULTS.wsd,
          warmupFraction: 0.10948905109489052,
          decayFraction: 0.21897810218978103,
        },
      },
    ];
    await playground.open(encodeShare(configs));
    await expect.poll(async () => (await api.runs()).length, { timeout: 60_000 }).toBe(3);
    for (const run of await api.runs()) {
      await page.getByRole('button', { name: `Resume ${run.label}`, exact: true }).click();
    }
    await expect
      .poll(async () => (await api.runs()).every((r) => r.status === 'finished'), {
        timeout: 90_000,
      })
      .toBe(true);

    const chart = page.getByRole('img', { name: 'Loss', exact: true });
    const legend = page.getByTestId('chart-legend').first();
    await expect(legend.getByTestId('legend-entry')).toHaveCount(3);
    await expect(legend).toContainText('WSD: warmup 11%, decay last 22%');
    await expect(legend).not.toContainText('0.1094');
    await hover(page, chart, 0.5);
    await expect(legend).toContainText(/step \d+/);
    const values = await legend.getByTestId('legend-value').locator('strong').allTextContents();
    // Three runs, each with a train and a test value at the cursor.
    expect(values).toHaveLength(6);
    for (const v of values) expect(v).toMatch(/^-?\d/);
    const swatches = await legend
      .locator('.swatch')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    expect(new Set(swatches).size).toBe(3);
    await page.screenshot({ path: shot('three-runs-legend-hover') });
  });

  test('a loss of exactly 0 on a log axis does not break the chart', async ({
    playground,
    api,
    page,
  }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await playground.open('#data.kind=csv&optimizer.lr=0.3&steps=300&metricsEvery=10');
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await playground.play();
    const legend = page.getByTestId('chart-legend').first();
    // The built-in table is separable: the training loss reaches exactly 0, and the log axis says
    // where it draws it (a decade below the smallest positive loss) instead of breaking.
    await expect(legend).toContainText('values ≤ 0', { timeout: 120_000 });
    expect(await page.evaluate(() => document.querySelector('.chart canvas') !== null)).toBe(true);
    expect(errors).toEqual([]);
    // The chart still answers the cursor.
    await hover(page, page.getByRole('img', { name: 'Loss', exact: true }), 0.3);
    await expect(legend).toContainText(/step \d+/);
    expect(errors).toEqual([]);
  });

  test('at 390 px wide nothing scrolls sideways', async ({ playground, api, page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await playground.open();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    await page.screenshot({ path: shot('mobile-390x844') });
    const overflow = await page.evaluate(() => {
      // Wide tables may scroll inside their own box; nothing else may stick out.
      const inScroller = (e: Element) => {
        for (let a = e.parentElement; a; a = a.parentElement)
          if (getComputedStyle(a).overflowX === 'auto') return true;
        return false;
      };
      const wide = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !inScroller(e))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
      return { scroll: document.documentElement.scrollWidth, wide };
    });
    expect(overflow).toEqual({ scroll: 390, wide: [] });
  });

  test('the dataset radiogroup is one tab stop and follows the arrow keys', async ({
    playground,
    api,
    page,
  }) => {
    await playground.open();
    await expect
      .poll(async () => (await api.current())?.status, { timeout: 60_000 })
      .toBe('paused');
    const group = page.getByRole('radiogroup', { name: 'Dataset' });
    await expect(group.locator('[tabindex="0"]')).toHaveCount(1);
    const spiral = group.getByRole('radio', { name: 'Spiral' });
    await spiral.focus();
    await page.keyboard.press('ArrowRight');
    const circles = group.getByRole('radio', { name: 'Circles' });
    await expect(circles).toBeFocused();
    await expect(circles).toHaveAttribute('aria-checked', 'true');
    await expect.poll(async () => (await api.config())?.data.kind).toBe('circles');
    await page.keyboard.press('ArrowLeft');
    await expect(spiral).toHaveAttribute('aria-checked', 'true');
    await page.keyboard.press('End');
    await expect(group.getByRole('radio', { name: 'Your CSV' })).toBeFocused();
    await expect(group.locator('[tabindex="0"]')).toHaveCount(1);
  });
});
