import { describe, expect, it } from 'vitest';
import { concatChunks, emptyColumns, type MetricChunk } from './metrics';

function chunk(fromStep: number, rows: number, testLoss: number): MetricChunk {
  const columns = emptyColumns(rows);
  for (let i = 0; i < rows; i++) {
    columns.step[i] = fromStep + i;
    columns.loss[i] = fromStep + i + 0.5;
  }
  columns.testLoss[rows - 1] = testLoss;
  return { fromStep, rows, columns };
}

describe('concatChunks', () => {
  it('keeps every row in order and each chunk’s evaluation where it was', () => {
    const merged = concatChunks([chunk(1, 3, 0.9), chunk(4, 2, 0.7)]);
    expect(merged.fromStep).toBe(1);
    expect(merged.rows).toBe(5);
    expect([...merged.columns.step]).toEqual([1, 2, 3, 4, 5]);
    expect([...merged.columns.loss]).toEqual([1.5, 2.5, 3.5, 4.5, 5.5]);
    expect(
      [...merged.columns.testLoss].map((v) => (Number.isNaN(v) ? null : Math.round(v * 10) / 10)),
    ).toEqual([null, null, 0.9, null, 0.7]);
  });
});
