import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../rng';
import { parseCsv } from './csv';
import { parseText } from './text';

const GOOD_CSV = 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n9,10,x\n';

describe('parseCsv', () => {
  it('reads a header, scales features to [-1, 1] and indexes sorted classes', () => {
    const r = parseCsv(GOOD_CSV);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.features).toEqual(['a', 'b']);
    expect(r.value.classes).toEqual(['x', 'y']);
    expect(Array.from(r.value.x.subarray(0, 4))).toEqual([-1, -1, -0.5, -0.5]);
    expect(Array.from(r.value.y)).toEqual([0, 1, 0, 1, 0]);
  });
  it('works without a header, with CRLF and blank lines', () => {
    const r = parseCsv('1,2,0\r\n\r\n3,4,1\r\n5,6,0\r\n7,8,1\r\n');
    expect(r.ok && r.value.features).toEqual(['x1', 'x2']);
  });
  it('reads quoted cells with commas, doubled quotes and line breaks in the label', () => {
    const text =
      '"size, cm",weight,label\n1,2,"big, red"\n3,4,"say ""hi"""\n5,6,"two\nlines"\n7,8,"big, red"\n';
    const r = parseCsv(text);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.features).toEqual(['size, cm', 'weight']);
    expect(r.value.classes).toEqual(['big, red', 'say "hi"', 'two\nlines']);
    expect(Array.from(r.value.y)).toEqual([0, 1, 2, 0]);
  });
  it('drops a byte-order mark, so the first header is not "\uFEFFa"', () => {
    const r = parseCsv('\uFEFF' + GOOD_CSV);
    expect(r.ok && r.value.features).toEqual(['a', 'b']);
  });
  it('reads CRLF, lone CR and mixed line ends alike, and counts rows as an editor does', () => {
    const lf = parseCsv(GOOD_CSV);
    const mixed = 'a,b,label\r\n1,2,x\n3,4,y\r5,6,x\r\n7,8,y\n9,10,x';
    for (const text of [
      GOOD_CSV.replaceAll('\n', '\r\n'),
      GOOD_CSV.replaceAll('\n', '\r'),
      mixed,
    ]) {
      const r = parseCsv(text);
      if (!r.ok || !lf.ok) throw new Error(r.ok ? 'lf' : r.message);
      expect(Array.from(r.value.x)).toEqual(Array.from(lf.value.x));
      expect(Array.from(r.value.y)).toEqual(Array.from(lf.value.y));
    }
    const crlf = parseCsv('a,b,c\r\n1,2,x\r\n\r\n3,zz,y\r\n4,5,x\r\n6,7,y\r\n');
    expect(!crlf.ok && crlf.message).toMatch(/^row 4, column "b"/);
  });
  it('names the line of a ragged row, counting quoted line breaks and blank lines', () => {
    const short = parseCsv('a,b,c\n1,2,"x\ny"\n\n3,4\n4,5,x\n6,7,y\n');
    expect(!short.ok && short.message).toBe('row 5 has 2 columns, expected 3');
    const long = parseCsv('a,b,c\n1,2,x\n3,4,y,extra\n4,5,x\n6,7,y\n');
    expect(!long.ok && long.message).toBe('row 3 has 4 columns, expected 3');
  });
  it('an unclosed quote is a message that names its row', () => {
    const r = parseCsv('a,b,c\n1,2,x\n3,4,"y\n5,6,x\n7,8,y\n');
    expect(!r.ok && r.message).toMatch(/^row 3: a quoted cell is not closed/);
  });
  it.each([
    ['', /empty/],
    ['label\n1\n2\n', /at least one feature/],
    ['a,b,c\n1,2,x\n3,y\n4,5,x\n6,7,y\n', /row 3 has 2 columns, expected 3/],
    ['a,b,c\n1,2,x\n3,zz,y\n4,5,x\n6,7,y\n', /row 3, column "b": "zz" is not a number/],
    ['a,c\n1,x\n2,x\n3,x\n4,x\n', /need at least 2/],
    ['a,c\n1,x\n2,y\n', /need at least 4/],
    ['a,c\n1,x\n2,\n3,x\n4,y\n', /empty label/],
  ])('rejects %j: %s', (text, message) => {
    const r = parseCsv(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('parseText', () => {
  it('tokenizes over the text vocabulary and keeps the last tenth for test', () => {
    const r = parseText('abcab\r\n'.repeat(40), 8);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.vocab).toEqual(['\n', 'a', 'b', 'c']);
    expect(r.value.train.length + r.value.test.length).toBe(240);
  });
  it.each([
    [42, /must be a string/],
    ['short', /needs at least/],
    ['a\u0001'.repeat(100), /control character/],
    ['a'.repeat(200), /at least 2 different/],
    [
      Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join(''),
      /at most 128/,
    ],
  ])('rejects %#', (text, message) => {
    const r = parseText(text, 8);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

const ALPHABET = [
  '0',
  '1',
  '9',
  '.',
  '-',
  'e',
  '+',
  ',',
  ',',
  '\n',
  '\r',
  '"',
  ' ',
  'a',
  'x',
  'NaN',
  'Infinity',
  '1e999',
  '\u0000',
  '😀',
  '\t',
];

function mutate(rng: Rng, base: string): string {
  const chars = Array.from(base);
  const edits = 1 + rng.int(6);
  for (let k = 0; k < edits; k++) {
    const i = rng.int(chars.length + 1);
    const op = rng.int(3);
    if (op === 0) chars.splice(i, 1);
    else if (op === 1) chars.splice(i, 0, ALPHABET[rng.int(ALPHABET.length)]);
    else chars.splice(i, 1, ALPHABET[rng.int(ALPHABET.length)]);
  }
  return chars.join('');
}

function randomText(rng: Rng): string {
  return Array.from({ length: rng.int(400) }, () => ALPHABET[rng.int(ALPHABET.length)]).join('');
}

describe('user-data parsers never throw (fuzz)', () => {
  it('1,500 random and mutated inputs give {ok} or a message, and ok results are well-formed', () => {
    const rng = createRng(99);
    const seeds = [
      GOOD_CSV,
      'x,y,c\n' + Array.from({ length: 30 }, (_, i) => `${i},${-i / 3},${i % 3}`).join('\n'),
      'hello world. '.repeat(30),
    ];
    let oks = 0;
    for (let n = 0; n < 1500; n++) {
      const input = n % 3 === 0 ? randomText(rng) : mutate(rng, seeds[rng.int(seeds.length)]);
      const csv = parseCsv(input);
      const text = parseText(input, 1 + rng.int(16));
      for (const r of [csv, text]) if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
      if (csv.ok) {
        oks++;
        expect(csv.value.x.every((v) => v >= -1 && v <= 1)).toBe(true);
        expect(csv.value.y.every((c) => c >= 0 && c < csv.value.classes.length)).toBe(true);
      }
      if (text.ok)
        expect(text.value.train.every((i) => i >= 0 && i < text.value.vocab.length)).toBe(true);
    }
    expect(oks).toBeGreaterThan(50);
  });
  it('non-string inputs', () => {
    for (const input of [null, undefined, 3, {}, [], new ArrayBuffer(2)]) {
      expect(parseCsv(input).ok).toBe(false);
      expect(parseText(input, 8).ok).toBe(false);
    }
  });
});
