/** Saves text or a blob as a file through a temporary link. */
export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Stacks the canvases of the charts under `root` into one PNG, on white, titles included. */
export async function chartsPng(root: ParentNode): Promise<Blob | null> {
  const charts = [...root.querySelectorAll<HTMLElement>('.chart')];
  const canvases = charts
    .map((c) => c.querySelector('canvas'))
    .filter((c): c is HTMLCanvasElement => c !== null);
  if (canvases.length === 0) return null;
  const width = Math.max(...canvases.map((c) => c.width));
  const titleHeight = 24;
  const height = canvases.reduce((h, c) => h + c.height + titleHeight, 0);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  let y = 0;
  canvases.forEach((c, i) => {
    ctx.fillStyle = '#222';
    ctx.font = '14px system-ui, sans-serif';
    ctx.fillText(charts[i]?.getAttribute('aria-label') ?? '', 8, y + 17);
    y += titleHeight;
    ctx.drawImage(c, 0, y);
    y += c.height;
  });
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}
