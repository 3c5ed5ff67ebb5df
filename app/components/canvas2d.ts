/**
 * The one rule for the page's 2-D canvases: they are drawn by the CPU in the page's own process
 * (`willReadFrequently` asks Chromium for a CPU-backed canvas), never by the GPU process. That
 * process also runs the training workers' WebGPU and WebGL kernels and composites the page; on a
 * machine without a GPU it emulates one (SwiftShader) on the same cores the runs train on. A
 * chart whose drawing queues there misses frames: measured on 2 cores with one run training, the
 * page's p95 frame went from 233 ms (GPU-backed canvases) to 16.7 ms (CPU-backed). The canvases
 * are small, so drawing them on the CPU costs little on any machine.
 */
export const CANVAS_2D_SETTINGS: CanvasRenderingContext2DSettings = { willReadFrequently: true };

/** A CPU-backed 2-D context for `canvas` (null when the browser gives none). */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  return canvas.getContext('2d', CANVAS_2D_SETTINGS);
}

/**
 * Runs `make` (a library's constructor that creates its own canvases, e.g. uPlot's) so that every
 * 2-D context it asks for is CPU-backed. `make` must be synchronous: the override is in place only
 * while it runs.
 */
export function withCpuCanvases<T>(make: () => T): T {
  const proto = HTMLCanvasElement.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'getContext');
  const getContext = proto.getContext as (
    this: HTMLCanvasElement,
    kind: string,
    settings?: object,
  ) => RenderingContext | null;
  Object.defineProperty(proto, 'getContext', {
    configurable: true,
    writable: true,
    value: function (this: HTMLCanvasElement, kind: string, settings?: object) {
      const merged = kind === '2d' ? { ...settings, ...CANVAS_2D_SETTINGS } : settings;
      return getContext.call(this, kind, merged);
    },
  });
  try {
    return make();
  } finally {
    if (original) Object.defineProperty(proto, 'getContext', original);
  }
}
