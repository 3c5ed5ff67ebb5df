// npm run check:production: fails when the shipped build (dist/, from `npm run build`) carries
// the browser tests' hook or fault injection, which belong in the test build (dist-test/) only.
//   node scripts/check-production-build.mjs [dir]
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

const dir = process.argv[2] ?? 'dist';
const FORBIDDEN = ['__playground', '__embed', 'loseDevice', 'exhaustDeviceMemory', 'exhaustMemory'];
const TEXT = ['.js', '.mjs', '.html', '.css', '.json', '.webmanifest', '.svg', '.txt', '.map'];

function files(at) {
  return readdirSync(at, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(at, e.name)) : [join(at, e.name)],
  );
}

function fail(message) {
  console.error(`check-production-build: ${message}`);
  process.exit(1);
}

let text;
try {
  text = files(dir).filter((f) => TEXT.includes(extname(f)));
} catch (err) {
  fail(`cannot read ${dir}/ (${err.message}); run npm run build first`);
}
const scripts = text.filter((f) => extname(f) === '.js');
if (scripts.length === 0) fail(`${dir}/ has no JavaScript; run npm run build first`);
const found = [];
for (const file of text) {
  const content = readFileSync(file, 'utf8');
  const name = relative(dir, file);
  for (const word of FORBIDDEN) if (content.includes(word)) found.push(`${name}: ${word}`);
}
if (found.length > 0) fail(`test-only code in ${dir}/:\n  ${found.join('\n  ')}`);
console.log(
  `check-production-build: ${text.length} files in ${dir}/ (${scripts.length} scripts), ` +
    `none has ${FORBIDDEN.join(', ')}`,
);
