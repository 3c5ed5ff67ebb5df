import { describe, expect, it } from 'vitest';
import { BACKENDS, parseRunConfig } from '../../engine/tf-free';
import { encodeConfig } from '../url-codec';
import { PRESETS } from './presets';
import {
  BACKEND_NAMES,
  EMBED_SOURCE,
  embedUrl,
  HOST_SOURCE,
  parseAttributes,
  parseEmbedMessage,
  parseEmbedParams,
  parseHostMessage,
  PRESET_NAMES,
  splitControls,
} from './protocol';
import { resolveEmbed } from './setup';

const attrs = (record: Record<string, string>) =>
  parseAttributes((name) => (Object.hasOwn(record, name) ? record[name] : null));

/** mulberry32: a seeded stream, so a failing fuzz case reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('tables', () => {
  it('mirror the engine and the preset table', () => {
    expect([...BACKEND_NAMES]).toEqual([...BACKENDS]);
    expect(Object.keys(PRESETS).sort()).toEqual([...PRESET_NAMES].sort());
  });

  it('every preset is a valid run config that survives the URL codec', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(parseRunConfig(preset.config)).toEqual({ ok: true, value: preset.config });
      expect(resolveEmbed('', `#${encodeConfig(preset.config)}`).config).toEqual(preset.config);
      expect(preset.config.steps).toBeLessThanOrEqual(1000);
    }
  });
});

describe('element attributes', () => {
  it('reads a valid set with defaults for the rest', () => {
    expect(
      attrs({ preset: 'spiral-adam', controls: 'optimizer, LR,batch', height: '300' }),
    ).toEqual({
      ok: true,
      value: {
        preset: 'spiral-adam',
        controls: ['optimizer', 'lr', 'batch'],
        height: 300,
        backend: undefined,
        config: undefined,
        autoplay: false,
      },
    });
    expect(attrs({})).toMatchObject({
      ok: true,
      value: { height: 360, controls: [], autoplay: false },
    });
    expect(attrs({ autoplay: '', backend: 'wasm', height: '400px' })).toMatchObject({
      ok: true,
      value: { autoplay: true, backend: 'wasm', height: 400 },
    });
  });

  it.each([
    [{ preset: 'nope' }, 'unknown preset "nope"'],
    [{ height: 'banana' }, 'height'],
    [{ height: '20' }, 'at least 160'],
    [{ controls: 'optimizer;<script>' }, 'controls'],
    [{ backend: 'tpu' }, 'unknown backend'],
    [{ config: 'a=1#b' }, 'config'],
    [{ autoplay: 'yes please' }, 'autoplay'],
  ])('rejects %j with a message', (record, text) => {
    const parsed = attrs(record);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(text);
  });

  it('builds an iframe address the embed page reads back', () => {
    const parsed = attrs({
      preset: 'xor-lamb',
      controls: 'batch,dataset',
      backend: 'cpu',
      config: 'seed=3',
      autoplay: '',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const url = new URL(
      embedUrl(
        new URL('https://play.example/sub/embed.html'),
        parsed.value,
        'https://docs.example',
      ),
    );
    expect(url.pathname).toBe('/sub/embed.html');
    expect(url.hash).toBe('#seed=3');
    expect(parseEmbedParams(url.search)).toEqual({
      ok: true,
      value: {
        preset: 'xor-lamb',
        controls: ['batch', 'dataset'],
        backend: 'cpu',
        autoplay: true,
        origin: 'https://docs.example',
      },
    });
    // An opaque host origin (a file:// page) is left out: the widget then posts no events.
    expect(
      new URL(
        embedUrl(new URL('https://play.example/embed.html'), parsed.value, 'null'),
      ).searchParams.has('origin'),
    ).toBe(false);
  });
});

describe('embed page URL', () => {
  it('rejects a host origin that is not an origin', () => {
    for (const origin of [
      'https://docs.example/path',
      'javascript:alert(1)',
      'null',
      '*',
      'docs.example',
    ]) {
      expect(parseEmbedParams(`?origin=${encodeURIComponent(origin)}`).ok).toBe(false);
    }
  });

  it('splits known and unknown controls', () => {
    expect(splitControls(['lr', 'wings', 'lr', 'batch', 'wings'])).toEqual({
      known: ['lr', 'batch'],
      unknown: ['wings'],
    });
  });

  it('the hash wins over the preset; problems are listed, not thrown', () => {
    const setup = resolveEmbed(
      '?preset=circles-sgd&controls=lr,wings&backend=wasm',
      '#data.kind=xor&optimizer.kind=sgd',
    );
    expect(setup.config.data.kind).toBe('xor');
    expect(setup.config.backend).toBe('wasm');
    expect(setup.title).toBe('Circles with SGD');
    expect(setup.controls).toEqual(['lr']);
    expect(setup.problems.join(' ')).toContain('Unknown control "wings"');

    const bad = resolveEmbed('?preset=moons', '#optimizer.lr=banana');
    expect(bad.problems).toHaveLength(2);
    expect(bad.config.data.kind).toBe('spiral');
  });
});

describe('messages', () => {
  const step = {
    source: EMBED_SOURCE,
    type: 'step',
    detail: { step: 10, loss: 0.5, testLoss: null, accuracy: 0.9 },
  };

  it('accepts the agreed shapes', () => {
    expect(parseEmbedMessage(step)).toEqual({ ok: true, value: step });
    expect(
      parseEmbedMessage({
        source: EMBED_SOURCE,
        type: 'ready',
        detail: { preset: null, backend: 'webgpu' },
      }).ok,
    ).toBe(true);
    expect(parseHostMessage({ source: HOST_SOURCE, type: 'visibility', visible: false }).ok).toBe(
      true,
    );
    expect(parseHostMessage({ source: HOST_SOURCE, type: 'command', command: 'reset' }).ok).toBe(
      true,
    );
  });

  it.each([
    ['another source', { ...step, source: 'devtools' }],
    ['an unknown type', { ...step, type: 'explode' }],
    ['an extra key', { ...step, extra: 1 }],
    ['NaN as a metric', { ...step, detail: { ...step.detail, loss: Number.NaN } }],
    ['a fractional step', { ...step, detail: { ...step.detail, step: 1.5 } }],
    ['a string', JSON.stringify(step)],
    ['null', null],
  ])('rejects %s', (_name, data) => {
    expect(parseEmbedMessage(data).ok).toBe(false);
  });

  it('host messages: the command must be known and the tag must be the host one', () => {
    expect(parseHostMessage({ source: HOST_SOURCE, type: 'command', command: 'eval' }).ok).toBe(
      false,
    );
    expect(parseHostMessage({ source: EMBED_SOURCE, type: 'visibility', visible: true }).ok).toBe(
      false,
    );
    expect(parseHostMessage({ source: HOST_SOURCE, type: 'visibility', visible: 'yes' }).ok).toBe(
      false,
    );
  });
});

describe('fuzz: validators never throw', () => {
  const next = rng(20240608);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const ATOMS: readonly unknown[] = [
    null,
    undefined,
    0,
    -1,
    1.5,
    Number.NaN,
    Infinity,
    -0,
    '',
    'step',
    'ready',
    'play',
    EMBED_SOURCE,
    HOST_SOURCE,
    true,
    false,
    10n,
    Symbol('s'),
    () => 1,
    new Date(0),
    /x/,
    new Map(),
    [],
    {},
  ];

  function randomString(): string {
    const chars = 'abcz019 ,-#&=?%<>"\'\\/\u0000\u00e9\u{1F600}';
    let s = '';
    const n = Math.floor(next() * 24);
    for (let i = 0; i < n; i++) s += pick([...chars]);
    return s;
  }

  function randomValue(depth: number): unknown {
    const r = next();
    if (depth > 3 || r < 0.35) return pick(ATOMS);
    if (r < 0.55) return randomString();
    if (r < 0.7)
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(depth + 1));
    const keys = [
      'source',
      'type',
      'detail',
      'step',
      'loss',
      'visible',
      'command',
      '__proto__',
      'constructor',
      randomString(),
    ];
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < 4; i++) obj[pick(keys)] = randomValue(depth + 1);
    return obj;
  }

  /** A valid message with one field replaced, removed, or made hostile. */
  function mutate(base: Record<string, unknown>): unknown {
    const copy: Record<string, unknown> = structuredClone(base);
    const target =
      next() < 0.5 && typeof copy.detail === 'object' && copy.detail !== null
        ? (copy.detail as Record<string, unknown>)
        : copy;
    const key = pick([...Object.keys(target), 'extra']);
    const r = next();
    if (r < 0.3) delete target[key];
    else if (r < 0.8) target[key] = randomValue(2);
    else
      Object.defineProperty(target, key, {
        enumerable: true,
        get() {
          throw new Error('hostile getter');
        },
      });
    if (next() < 0.05)
      return new Proxy(copy, {
        get: () => {
          throw new Error('hostile proxy');
        },
        ownKeys: () => {
          throw new Error('hostile proxy');
        },
      });
    return copy;
  }

  const VALID = [
    {
      source: EMBED_SOURCE,
      type: 'step',
      detail: { step: 10, loss: 0.5, testLoss: 0.6, accuracy: 0.9 },
    },
    {
      source: EMBED_SOURCE,
      type: 'finished',
      detail: { step: 600, loss: 0.1, testLoss: 0.2, accuracy: 1 },
    },
    { source: EMBED_SOURCE, type: 'ready', detail: { preset: 'xor-lamb', backend: 'wasm' } },
    { source: HOST_SOURCE, type: 'visibility', visible: true },
    { source: HOST_SOURCE, type: 'command', command: 'play' },
  ];

  it('1,000 random and mutated messages', () => {
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      const input = i % 2 === 0 ? randomValue(0) : mutate(pick(VALID));
      const a = parseEmbedMessage(input);
      const b = parseHostMessage(input);
      expect(typeof a.ok).toBe('boolean');
      expect(typeof b.ok).toBe('boolean');
      if (a.ok || b.ok) accepted++;
    }
    // Mutations that keep a message valid exist (e.g. loss replaced by another number), but are rare.
    expect(accepted).toBeLessThan(200);
  });

  it('1,000 random and mutated attribute sets and URLs', () => {
    const NAMES = ['preset', 'controls', 'height', 'backend', 'config', 'autoplay'];
    const GOOD: Record<string, string> = {
      preset: 'spiral-adam',
      controls: 'optimizer,lr',
      height: '360',
      backend: 'wasm',
      config: 'seed=2',
      autoplay: '',
    };
    for (let i = 0; i < 1000; i++) {
      const record: Record<string, string> = {};
      for (const name of NAMES) {
        const r = next();
        if (r < 0.4) record[name] = GOOD[name];
        else if (r < 0.8) record[name] = randomString();
      }
      const parsed = attrs(record);
      expect(typeof parsed.ok).toBe('boolean');
      if (parsed.ok) {
        const url = embedUrl(
          new URL('https://play.example/embed.html'),
          parsed.value,
          pick(['https://docs.example', 'null', randomString()]),
        );
        const back = new URL(url);
        expect(parseEmbedParams(back.search).ok).toBe(true);
        expect(() => resolveEmbed(back.search, back.hash)).not.toThrow();
      }
      const search = `?${NAMES.map((n) => `${n}=${encodeURIComponent(randomString())}`).join('&')}`;
      expect(typeof parseEmbedParams(search).ok).toBe('boolean');
      expect(() => resolveEmbed(search, `#${randomString()}`)).not.toThrow();
    }
  });
});
