/** Centres of a `resolution`² grid of cells over [-1, 1]², row-major from the top-left, as (x, y) pairs. */
export function gridCentres(resolution: number): Float32Array {
  const xy = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      xy[2 * i] = -1 + (2 * (c + 0.5)) / resolution;
      xy[2 * i + 1] = 1 - (2 * (r + 0.5)) / resolution;
    }
  }
  return xy;
}
