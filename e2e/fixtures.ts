import { test as base, expect, type Page } from '@playwright/test';
import type { PlaygroundHook, RunSummary } from '../app/test-hook';
import type { RunConfig } from '../engine/tf-free';

/** Reads training state through the app's typed test hook, never through pixels. */
export class PlaygroundApi {
  constructor(private readonly page: Page) {}

  async runs(): Promise<RunSummary[]> {
    return this.page.evaluate(
      () => (window.__playground as PlaygroundHook | undefined)?.runs() ?? [],
    );
  }

  async current(): Promise<RunSummary | undefined> {
    const runs = await this.runs();
    return runs[runs.length - 1];
  }

  /** Waits until the selected run has this status (a worker starts within a minute here). */
  async untilStatus(status: RunSummary['status'], timeout = 60_000): Promise<void> {
    await expect.poll(async () => (await this.current())?.status, { timeout }).toBe(status);
  }

  /** Waits until the selected run has trained past `step`. */
  async untilPast(step: number, timeout = 60_000): Promise<void> {
    await expect
      .poll(async () => (await this.current())?.step ?? 0, { timeout })
      .toBeGreaterThan(step);
  }

  /**
   * Waits until the selected run's evaluated training loss is below its first one. The app
   * evaluates within a tenth of the training time, so the next evaluation after the first can take
   * a few chunks to come: a check made once, right after some steps, could still see the first.
   */
  async untilLossFalls(timeout = 60_000): Promise<void> {
    await expect
      .poll(
        async () => {
          const run = await this.current();
          return run !== undefined && run.loss < run.firstLoss;
        },
        { timeout },
      )
      .toBe(true);
  }

  async config(): Promise<RunConfig | undefined> {
    return this.page.evaluate(() => (window.__playground as PlaygroundHook | undefined)?.config());
  }
}

/** The main screen, located by role and label. */
export class PlaygroundPage {
  constructor(readonly page: Page) {}

  async open(hash = ''): Promise<void> {
    await this.page.goto(`./${hash}`);
    await expect(this.page.getByRole('heading', { name: 'Training Playground' })).toBeVisible();
  }

  play() {
    return this.page.getByRole('button', { name: 'Play', exact: true }).click();
  }

  pause() {
    return this.page.getByRole('button', { name: 'Pause', exact: true }).click();
  }
}

export const test = base.extend<{ api: PlaygroundApi; playground: PlaygroundPage }>({
  api: async ({ page }, use) => use(new PlaygroundApi(page)),
  playground: async ({ page }, use) => use(new PlaygroundPage(page)),
});

export { expect };
