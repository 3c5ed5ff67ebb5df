/**
 * Moving every open tab of the app to a new version together, without any page running the old
 * version's code against the new version's files. A new service worker waits (vite.config.ts:
 * registerType 'prompt', no skipWaiting) until the user says Reload in some tab. That tab asks
 * every other tab, over a BroadcastChannel, to save its runs first; each answers at once that it
 * is saving, then that it is done. Only then is the new worker let in (`activate`: SKIP_WAITING),
 * and every page it takes control of reloads straight away: a page already saved reloads without
 * running another line of its old code; one that did not answer (hung, or without
 * BroadcastChannel) saves first, bounded by SAVE_WITHIN_MS.
 */

type Message =
  | { kind: 'update'; from: string }
  | { kind: 'saving'; to: string; from: string }
  | { kind: 'saved'; to: string; from: string };

const CHANNEL = 'training-playground:update';
/** How long the tab that asked waits for the others to say they are saving. */
export const ANSWER_WITHIN_MS = 300;
/** How long saving may hold up the new version. */
export const SAVE_WITHIN_MS = 10_000;

function isMessage(x: unknown): x is Message {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return (
    typeof m.from === 'string' &&
    (m.kind === 'update' ||
      ((m.kind === 'saving' || m.kind === 'saved') && typeof m.to === 'string'))
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** `work`, or nothing once `ms` have passed; its failure is no reason to stay on the old version. */
const within = (work: Promise<unknown>, ms: number) =>
  Promise.race([work.catch(() => undefined), sleep(ms)]);

export class VersionUpdate {
  readonly #me = Math.random().toString(36).slice(2);
  readonly #channel: BroadcastChannel | null;
  /** This tab's save for the update, once begun. */
  #saving: Promise<void> | null = null;
  #reloading = false;

  /**
   * `save` writes what the page holds (its runs); `updating` is told when this tab moves to the
   * new version (its user said Reload, or the new version took control), for the UI; `reload`
   * reloads the page.
   */
  constructor(
    private readonly save: () => Promise<void>,
    private readonly updating: () => void,
    private readonly reload: () => void = () => location.reload(),
  ) {
    this.#channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CHANNEL) : null;
    this.#channel?.addEventListener('message', (e: MessageEvent<unknown>) => {
      const m = e.data;
      if (!isMessage(m) || m.kind !== 'update') return;
      this.#post({ kind: 'saving', to: m.from, from: this.#me });
      void this.#saveOnce().then(() => this.#post({ kind: 'saved', to: m.from, from: this.#me }));
    });
  }

  /** The user's Reload in this tab: every tab saves, then `activate` lets the new worker in. */
  async start(activate: () => void): Promise<void> {
    const saving = new Set<string>();
    const saved = new Set<string>();
    let allSaved = (): void => {};
    const done = new Promise<void>((resolve) => (allSaved = resolve));
    const heard = (e: MessageEvent<unknown>): void => {
      const m = e.data;
      if (!isMessage(m) || m.kind === 'update' || m.to !== this.#me) return;
      (m.kind === 'saving' ? saving : saved).add(m.from);
      if ([...saving].every((t) => saved.has(t))) allSaved();
    };
    this.updating();
    this.#channel?.addEventListener('message', heard);
    this.#post({ kind: 'update', from: this.#me });
    const own = this.#saveOnce();
    await sleep(ANSWER_WITHIN_MS);
    if ([...saving].every((t) => saved.has(t))) allSaved();
    await within(Promise.all([own, done]), SAVE_WITHIN_MS);
    this.#channel?.removeEventListener('message', heard);
    activate();
  }

  /** The new version took control of this page: reload, at once when saved for it. */
  async controlled(): Promise<void> {
    if (this.#reloading) return;
    this.#reloading = true;
    this.updating();
    if (this.#saving === null) await within(this.#saveOnce(), SAVE_WITHIN_MS);
    this.reload();
  }

  close(): void {
    this.#channel?.close();
  }

  #saveOnce(): Promise<void> {
    this.#saving ??= this.save().catch(() => undefined);
    return this.#saving;
  }

  #post(message: Message): void {
    this.#channel?.postMessage(message);
  }
}
