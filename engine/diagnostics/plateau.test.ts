import { describe, expect, it } from 'vitest';
import { chanceLoss, lossPlateau } from './plateau';

const ln4 = Math.log(4);
const wobble = (n: number, level: number) =>
  Array.from({ length: n }, (_, i) => level + 0.02 * Math.sin(i));

describe('lossPlateau', () => {
  it('flags a loss that has sat at ln C for long', () => {
    const p = lossPlateau(wobble(400, ln4), 4);
    expect(p.flat).toBe(true);
    expect(p.steps).toBe(400);
    expect(p.meanLoss).toBeCloseTo(ln4, 1);
    expect(p.chanceLoss).toBeCloseTo(chanceLoss(4), 12);
  });

  it('counts only the trailing steps at chance', () => {
    const loss = [...wobble(300, ln4), ...wobble(100, 0.5)];
    const p = lossPlateau(loss, 4);
    expect(p.flat).toBe(false);
    expect(p.steps).toBe(0);
    const recovered = lossPlateau([...wobble(100, 0.5), ...wobble(240, ln4)], 4);
    expect(recovered.steps).toBe(240);
    expect(recovered.flat).toBe(true);
  });

  it('is not flat before minSteps, nor when the loss is far from chance', () => {
    expect(lossPlateau(wobble(100, ln4), 4).flat).toBe(false);
    expect(lossPlateau(wobble(400, 0.7 * ln4), 4).flat).toBe(false);
    expect(lossPlateau([], 4).steps).toBe(0);
  });
});
