import type { Page } from '@playwright/test';

/** Main-thread frame times over a window: rAF intervals and long tasks, as the bench and the soak report them. */
export interface FrameTimes {
  readonly frames: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly longestFrameMs: number;
  readonly longestTaskMs: number;
  readonly longTasks: number;
}

/**
 * Samples `windowMs` of rAF intervals and long tasks in the page. The page needs the `__name`
 * shim tsx's compiled functions call (`globalThis.__name = (f) => f`, as an init script).
 */
export function frameTimes(page: Page, windowMs: number): Promise<FrameTimes> {
  return page.evaluate(async (ms) => {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => longTasks.push(e.duration)),
    );
    observer.observe({ type: 'longtask' });
    const gaps: number[] = [];
    await new Promise<void>((done) => {
      let last = performance.now();
      const end = last + ms;
      const tick = (t: number) => {
        gaps.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    observer.disconnect();
    gaps.sort((a, b) => a - b);
    const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))];
    return {
      frames: gaps.length,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      longestFrameMs: gaps[gaps.length - 1],
      longestTaskMs: Math.max(0, ...longTasks),
      longTasks: longTasks.length,
    };
  }, windowMs);
}
