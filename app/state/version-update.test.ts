import { afterEach, describe, expect, it } from 'vitest';
import { ANSWER_WITHIN_MS, VersionUpdate } from './version-update';

/** One tab of the app: its saves and reloads, in the order they happened. */
function tab(name: string, log: string[], saveMs = 20) {
  const update = new VersionUpdate(
    async () => {
      log.push(`${name} saving`);
      await new Promise((resolve) => setTimeout(resolve, saveMs));
      log.push(`${name} saved`);
    },
    () => log.push(`${name} updating`),
    () => log.push(`${name} reload`),
  );
  open.push(update);
  return update;
}
const open: VersionUpdate[] = [];
afterEach(() => open.splice(0).forEach((u) => u.close()));

describe('moving every tab to a new version', () => {
  it('the new worker is let in only once every tab has saved; saved tabs then reload at once', async () => {
    const log: string[] = [];
    const a = tab('A', log);
    const b = tab('B', log, 2 * ANSWER_WITHIN_MS); // longer than the answers take
    await a.start(() => log.push('activate'));
    expect(log.indexOf('activate')).toBeGreaterThan(log.indexOf('B saved'));
    expect(log.indexOf('activate')).toBeGreaterThan(log.indexOf('A saved'));
    // The new worker takes control of both pages: neither saves again, each reloads.
    await Promise.all([a.controlled(), b.controlled()]);
    expect(log.filter((l) => l.endsWith('saving')).sort()).toEqual(['A saving', 'B saving']);
    expect(log.slice(log.indexOf('activate') + 1).filter((l) => l.endsWith('reload'))).toEqual([
      'A reload',
      'B reload',
    ]);
  });

  it('a page the new version takes without warning saves before it reloads', async () => {
    const log: string[] = [];
    await tab('B', log).controlled();
    expect(log).toEqual(['B updating', 'B saving', 'B saved', 'B reload']);
  });

  it('alone, it waits only for the other tabs to answer, then lets the new worker in', async () => {
    const log: string[] = [];
    const started = Date.now();
    await tab('A', log).start(() => log.push('activate'));
    expect(log).toEqual(['A updating', 'A saving', 'A saved', 'activate']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(ANSWER_WITHIN_MS - 5);
  });
});
