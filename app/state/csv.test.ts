import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvField, metricsToCsv } from './csv';
import type { StoredMetrics } from './stored-run';

const metrics: StoredMetrics = {
  steps: [1, 2, 3],
  samples: [32, 64, 96],
  loss: [0.9, Number.NaN, 0.5],
  lr: [0.1, 0.1, 0.05],
  gradNorm: [2, 3, 1.5],
  wallTime: [10, 20, 31],
  evalSteps: [3],
  trainLoss: [0.45],
  testLoss: [0.55],
  accuracy: [0.8],
  testAccuracy: [0.75],
};

/** Reads what we write back with papaparse (an RFC 4180 reader we did not write). */
function parseCsv(text: string): string[][] {
  const rows = Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n' }).data;
  // The final CRLF ends the last row; papaparse reports the empty remainder as a row of its own.
  return rows.at(-1)?.join('') === '' ? rows.slice(0, -1) : rows;
}

describe('csv', () => {
  it('writes one row per run and step, evaluation columns only where evaluated', () => {
    const csv = metricsToCsv([{ label: 'adam', metrics }]);
    expect(csv).toBe(
      [
        'run,step,samples,wall_time_ms,loss,lr,grad_norm,train_loss,test_loss,accuracy,test_accuracy,config',
        'adam,1,32,10,0.9,0.1,2,,,,,',
        'adam,2,64,20,NaN,0.1,3,,,,,',
        'adam,3,96,31,0.5,0.05,1.5,0.45,0.55,0.8,0.75,',
        '',
      ].join('\r\n'),
    );
  });

  it('gives an evaluation at a step with no per-step row its own row', () => {
    const thinned = {
      ...metrics,
      evalSteps: [2.5],
      trainLoss: [1],
      testLoss: [2],
      accuracy: [0.5],
      testAccuracy: [0.25],
    };
    const rows = parseCsv(metricsToCsv([{ label: 'x', metrics: thinned }]));
    expect(rows.map((r) => r[1])).toEqual(['step', '1', '2', '2.5', '3']);
    expect(rows[3]).toEqual(['x', '2.5', '', '', '', '', '', '1', '2', '0.5', '0.25', '']);
  });

  it('writes the settings in force at each step in the config column', () => {
    const configAt = (step: number) => (step >= 2 ? 'kind sgd, lr 0.1' : 'initial');
    const rows = parseCsv(metricsToCsv([{ label: 'adam', metrics, configAt }]));
    expect(rows.slice(1).map((r) => r[11])).toEqual([
      'initial',
      'kind sgd, lr 0.1',
      'kind sgd, lr 0.1',
    ]);
  });

  it.each([
    ['plain', 'plain'],
    ['lr=0.1, adam', '"lr=0.1, adam"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('quotes and defuses %j', (label, expected) => {
    expect(csvField(label)).toBe(expected);
  });

  it('labels with commas, quotes and line breaks read back intact', () => {
    const labels = ['a, b', 'quote " inside', 'multi\r\nline', '=cmd|calc'];
    const rows = parseCsv(metricsToCsv(labels.map((label) => ({ label, metrics }))));
    expect(rows).toHaveLength(1 + labels.length * 3);
    expect(rows.every((r) => r.length === 12)).toBe(true);
    expect([...new Set(rows.slice(1).map((r) => r[0]))]).toEqual([
      'a, b',
      'quote " inside',
      'multi\r\nline',
      "'=cmd|calc",
    ]);
  });
});
