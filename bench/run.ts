/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn and prints each figure it reports.
 * `npm run bench -- catalog` runs only the benches whose file name contains "catalog".
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Figure, printFigure } from './figure.js';

const filters = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

console.log(`Pave benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
for (const file of files) {
  console.log(`\n## ${file}`);
  const module = (await import(pathToFileURL(path.join(import.meta.dirname, file)).href)) as {
    bench(report: (figure: Figure) => void): Promise<void>;
  };
  const started = performance.now();
  await module.bench(printFigure);
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
