// Child of bench/detect.mjs: audiomill's RandomForestClassifier on the same data as bench/python/forest_bench.py
// (100 trees, maxFeatures 'sqrt', 2 threads), median of 3 fits, then the held-out rows' probabilities.
//   node bench/lib/forest-run.mjs <data.json>
// Prints one JSON line: fit_ms, predict_ms, accuracy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const { RandomForestClassifier } = await import(join(root, 'dist', 'esm', 'index.mjs'));
const d = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const fits = [];
const preds = [];
let p;
for (let seed = 0; seed < 3; seed++) {
  let t0 = performance.now();
  const f = await RandomForestClassifier.fit(d.x, d.y, { trees: 100, seed });
  fits.push(performance.now() - t0);
  t0 = performance.now();
  p = await f.predictProba(d.xTest);
  preds.push(performance.now() - t0);
}
const accuracy = d.yTest.filter((y, i) => (p[2 * i + 1] >= 0.5 ? 1 : 0) === y).length / d.yTest.length;
process.stdout.write(`${JSON.stringify({ fit_ms: median(fits), predict_ms: median(preds), accuracy })}\n`);
