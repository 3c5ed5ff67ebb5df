/** The bench's size figures: gzip bytes of the app's initial JS, its worker chunk and embed.js in dist/. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

function gz(file: string): number {
  return gzipSync(readFileSync(file)).length;
}

/** A chunk and every chunk it imports statically (what loads before its first line runs). */
function staticClosure(dir: string, files: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    for (const m of code.matchAll(/\bimport\s*(?:[^;()"']*?from\s*)?["']\.\/([^"']+\.js)["']/g))
      visit(`assets/${m[1]}`);
  };
  files.forEach(visit);
  return [...seen];
}

export function sizes() {
  const html = readFileSync('dist/index.html', 'utf8');
  const initial = staticClosure(
    'dist',
    [...html.matchAll(/src="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]),
  );
  const entry = readdirSync('dist/assets')
    .filter((f) => f.startsWith('trainer.worker') && f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const worker = staticClosure('dist', entry);
  const sum = (files: string[]) => files.reduce((n, f) => n + gz(join('dist', f)), 0);
  return {
    initialJsGzipBytes: sum(initial),
    workerChunkGzipBytes: sum(worker),
    embedJsGzipBytes: gz('dist/embed.js'),
  };
}
