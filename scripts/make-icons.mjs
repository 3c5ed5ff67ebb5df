#!/usr/bin/env node
// Renders public/icon.svg into the PWA's PNG icons (public/icons/): 192 and 512 px "any", and a
// 512 px "maskable" one whose artwork sits inside the 80% safe zone on a full-bleed background.
// Uses the system Chromium through Playwright, so it needs no image library. The PNGs are committed;
// rerun this after changing the SVG.
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'public', 'icon.svg'), 'utf8');
const outDir = join(root, 'public', 'icons');
mkdirSync(outDir, { recursive: true });

const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const { file, size, maskable } of ICONS) {
    const page = await browser.newPage({
      viewport: { width: size, height: size },
      deviceScaleFactor: 1,
    });
    const art = maskable ? Math.round(size * 0.72) : size;
    const background = maskable ? '#183d4e' : 'transparent';
    const img = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(
      `<html><body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${background}">` +
        `<img src="${img}" width="${art}" height="${art}"></body></html>`,
    );
    await page.screenshot({
      path: join(outDir, file),
      omitBackground: !maskable,
      clip: { x: 0, y: 0, width: size, height: size },
    });
    await page.close();
    console.log(`make-icons: public/icons/${file}`);
  }
} finally {
  await browser.close();
}
