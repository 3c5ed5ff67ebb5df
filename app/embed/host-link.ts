import { EMBED_SOURCE, parseHostMessage, type EmbedMessage, type HostMessage } from './protocol';

/** A message without its `source` tag, which `send` adds. */
type Outgoing = EmbedMessage extends infer M
  ? M extends EmbedMessage
    ? Omit<M, 'source'>
    : never
  : never;

/**
 * The embed page's side of the postMessage channel. Posts only to the host origin named in the
 * page's URL (the browser drops the message if the parent is another origin) and accepts only
 * messages from `window.parent`, from that origin, with a known shape.
 */
export class HostLink {
  readonly #origin: string | null;
  readonly #parent: Window | null;

  constructor(origin: string | null) {
    this.#parent = window.parent !== window ? window.parent : null;
    this.#origin = this.#parent ? origin : null;
  }

  send(message: Outgoing): void {
    if (!this.#parent || !this.#origin) return;
    this.#parent.postMessage({ source: EMBED_SOURCE, ...message }, this.#origin);
  }

  /** Calls `handler` with each valid message from the host; returns the unsubscribe function. */
  listen(handler: (message: HostMessage) => void): () => void {
    const onMessage = (event: MessageEvent): void => {
      if (!this.#parent || event.source !== this.#parent || event.origin !== this.#origin) return;
      const parsed = parseHostMessage(event.data);
      if (parsed.ok) handler(parsed.value);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }
}
