import {
  ATTRIBUTE_NAMES,
  DEFAULT_HEIGHT,
  embedUrl,
  HOST_SOURCE,
  parseAttributes,
  parseEmbedMessage,
  type HostMessage,
} from './protocol';

/**
 * `<training-playground preset="spiral-adam" controls="optimizer,lr" height="360">`: an iframe to
 * embed.html beside this script, so a docs page on any origin gets a widget whose worker runs on
 * the playground's origin. Bad attributes show a message in the widget box; nothing here throws
 * into the host page. Re-emits the widget's `ready`, `step`, `finished` and `failed` as DOM events.
 *
 * Built alone into dist/embed.js (vite.config.ts): no Svelte, no TF.js.
 */

// Beside this script (dist/embed.js; the dev server answers /embed.js with this file too). A variable,
// so the bundler leaves the URL to be resolved at run time against wherever the script was loaded from.
const EMBED_PAGE = './embed.html';

const STYLE = `
:host { display: block; position: relative; box-sizing: border-box; border: 1px solid #d5dde1; border-radius: 8px; overflow: hidden; background: #fff; }
iframe { display: block; width: 100%; height: 100%; border: 0; }
.message { box-sizing: border-box; height: 100%; padding: 16px; margin: 0; display: flex; align-items: center; justify-content: center;
  text-align: center; font: 14px/1.4 system-ui, sans-serif; color: #6b3d00; background: #fff4e5; }
`;

export class TrainingPlaygroundElement extends HTMLElement {
  static readonly observedAttributes = [...ATTRIBUTE_NAMES];

  #root: ShadowRoot;
  #frame: HTMLIFrameElement | null = null;
  #embedOrigin = '';
  #observer: IntersectionObserver | null = null;
  #connected = false;
  #onMessage = (event: MessageEvent): void => this.#receive(event);

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback(): void {
    this.#connected = true;
    window.addEventListener('message', this.#onMessage);
    this.#observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry)
        this.#post({ source: HOST_SOURCE, type: 'visibility', visible: entry.isIntersecting });
    });
    this.#observer.observe(this);
    this.#render();
  }

  disconnectedCallback(): void {
    this.#connected = false;
    window.removeEventListener('message', this.#onMessage);
    this.#observer?.disconnect();
    this.#observer = null;
    this.#root.replaceChildren();
    this.#frame = null;
  }

  attributeChangedCallback(_name: string, oldValue: string | null, newValue: string | null): void {
    if (this.#connected && oldValue !== newValue) this.#render();
  }

  /** Starts or resumes training in the widget. */
  play(): void {
    this.#post({ source: HOST_SOURCE, type: 'command', command: 'play' });
  }
  pause(): void {
    this.#post({ source: HOST_SOURCE, type: 'command', command: 'pause' });
  }
  /** A fresh run with new initial weights, paused. */
  reset(): void {
    this.#post({ source: HOST_SOURCE, type: 'command', command: 'reset' });
  }

  #render(): void {
    const parsed = parseAttributes((name) => this.getAttribute(name));
    const style = document.createElement('style');
    style.textContent = STYLE;
    if (!parsed.ok) {
      this.style.height = `${DEFAULT_HEIGHT}px`;
      this.#showMessage(style, `This training widget could not start: ${parsed.message}.`);
      return;
    }
    let page: URL;
    try {
      page = new URL(EMBED_PAGE, import.meta.url);
    } catch {
      this.#showMessage(style, 'This training widget could not find its page.');
      return;
    }
    this.style.height = `${parsed.value.height}px`;
    const frame = document.createElement('iframe');
    frame.title = parsed.value.preset
      ? `Training playground: ${parsed.value.preset}`
      : 'Training playground';
    frame.loading = 'lazy';
    frame.src = embedUrl(page, parsed.value, window.location.origin);
    this.#embedOrigin = page.origin;
    this.#frame = frame;
    this.#root.replaceChildren(style, frame);
  }

  #showMessage(style: HTMLStyleElement, text: string): void {
    const message = document.createElement('p');
    message.className = 'message';
    message.setAttribute('role', 'alert');
    message.textContent = text;
    this.#frame = null;
    this.#root.replaceChildren(style, message);
  }

  #post(message: HostMessage): void {
    const target = this.#frame?.contentWindow;
    if (target && this.#embedOrigin) target.postMessage(message, this.#embedOrigin);
  }

  /** Only our own iframe, from the embed page's origin, with a known shape. */
  #receive(event: MessageEvent): void {
    const frame = this.#frame;
    if (!frame || event.source !== frame.contentWindow || event.origin !== this.#embedOrigin)
      return;
    const parsed = parseEmbedMessage(event.data);
    if (!parsed.ok) return;
    this.dispatchEvent(new CustomEvent(parsed.value.type, { detail: parsed.value.detail }));
  }
}

if (!customElements.get('training-playground'))
  customElements.define('training-playground', TrainingPlaygroundElement);

declare global {
  interface HTMLElementTagNameMap {
    'training-playground': TrainingPlaygroundElement;
  }
}
