/**
 * The manifest benchmark's corpus: N five-second 16-bit WAV clips at mixed sample rates
 * (16 / 22.05 / 44.1 / 48 kHz), deterministic content (tones, noise, chirps), with a few
 * silent, clipped, short and corrupt files, like a real curated dataset. Also writes a
 * metadata CSV (filename, category, src_file, fold).
 *
 *   node bench/lib/make-corpus.mjs <dir> <count>
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRng } from '../signal.mjs';
import { wavHeader } from './wav-header.mjs';

export function makeCorpus(dir, count) {
  const stamp = join(dir, '.complete');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === String(count)) return dir;
  mkdirSync(dir, { recursive: true });
  const rates = [16000, 22050, 44100, 48000];
  const cats = ['speech', 'music', 'noise', 'dog', 'rain'];
  const rng = makeRng(0xc0ffee);
  const meta = ['filename,category,src_file,fold'];
  for (let i = 0; i < count; i++) {
    const name = `clip${String(i).padStart(5, '0')}.wav`;
    const rate = rates[i % rates.length];
    const category = cats[i % cats.length];
    meta.push(`${name},${category},src${Math.floor(i / 4)},${1 + (Math.floor(i / 4) % 5)}`);
    if (i % 97 === 13) {
      writeFileSync(join(dir, name), 'RIFF....WAVEcorrupt header bytes');
      continue;
    }
    const seconds = i % 53 === 7 ? 0.4 : 5;
    const n = Math.round(rate * seconds);
    const pcm = new Int16Array(n);
    const kind = i % 61 === 5 ? 'silent' : i % 59 === 3 ? 'clipped' : category;
    const f0 = 110 + (i % 17) * 40;
    let phase = 0;
    for (let k = 0; k < n; k++) {
      let v;
      if (kind === 'silent') v = 0;
      else if (kind === 'clipped') v = 2 * Math.sin((2 * Math.PI * f0 * k) / rate);
      else if (kind === 'noise' || kind === 'rain') v = 0.3 * (rng() - 0.5);
      else {
        phase += (2 * Math.PI * (f0 * (1 + k / n))) / rate;
        v = 0.4 * Math.sin(phase) + 0.02 * (rng() - 0.5);
      }
      pcm[k] = Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
    }
    const header = wavHeader({ rate, channels: 1, frames: n });
    writeFileSync(join(dir, name), Buffer.concat([header, Buffer.from(pcm.buffer)]));
  }
  writeFileSync(join(dir, 'meta.csv'), meta.join('\n') + '\n');
  writeFileSync(stamp, String(count));
  return dir;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [dir, count] = process.argv.slice(2);
  makeCorpus(dir, Number(count ?? 2000));
}
