#!/usr/bin/env node
/**
 * Embedding benchmark (`npm run bench:embed`, also run by `npm run bench`). See bench/README.md.
 *
 * 1. `audiomill embed <corpus> --model builtin:logmel-stats` end to end (decode, resample, log-mel, mean and std,
 *    writing), fresh, on the manifest bench's corpus of 2,002 five-second WAV clips at mixed rates (2 cores), against
 *    the plain Python script doing the same (bench/python/embed_logmel_bench.py: soundfile + torchaudio + numpy,
 *    2 processes): median of 5 alternating runs after a warm-up. Targets: under 10 s, and >= 5x the script.
 *    Peak RSS at 500 / 1,000 / 2,002 clips (flat is the goal).
 * 2. Google's speech embedding (models/google-speech-embedding.json) on 200 of those clips: the pipeline
 *    (`audiomill embed`) against its stages alone (decode + the mel model; the embedding model on the windows)
 *    and against a plain sequential loop written with onnxruntime-node (decode, the mel model, one inference call
 *    per clip; bench/lib/embed-stages.cjs), each a fresh process, median of 3. Targets: the pipeline's wall time
 *    <= 1.2x the slower stage, and >= 2x the plain loop. Also `audiomill embed` with the same model after audiomill's
 *    own log-mel (models/google-speech-embedding-logmel.json), which reproduces the mel model.
 *
 *   node bench/embed.mjs [--quick] [--no-python]
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, TMP_DIR } from './signal.mjs';
import { makeCorpus } from './lib/make-corpus.mjs';
import { rssHook, rssOf, secondsRange, summarizeRuns, timed, writeReport, writeResults } from './lib/results.mjs';
import { median } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const PYTHON = '/usr/bin/python3';
const ROOT = join(BENCH_DIR, '..');
const CLI = join(ROOT, 'dist', 'cjs', 'cli', 'main.js');
const SPEC = join(ROOT, 'models', 'google-speech-embedding.json');
const SPEC_LOGMEL = join(ROOT, 'models', 'google-speech-embedding-logmel.json');
const log = (...a) => console.error(...a);

/** A fresh `audiomill embed` run: wall ms, CPU seconds and peak RSS (MB) of the process. */
function ours(corpus, model, out) {
  rmSync(out, { recursive: true, force: true });
  const r = timed(process.execPath, ['--require', rssHook(), CLI, 'embed', corpus, '--model', model, '--out', out, '--quiet'], { AUDIOMILL_NUM_THREADS: '2' });
  return { ms: r.ms, ...rssOf(r.stderr) };
}

function python(corpus) {
  const p = timed(PYTHON, [join(BENCH_DIR, 'python', 'embed_logmel_bench.py'), corpus, join(TMP_DIR, 'embed_py.npy'), '2'], { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  const { cpu_s: cpuS, ...rest } = JSON.parse(p.stdout.trim().split('\n').pop());
  return { ms: p.ms, cpuS, ...rest };
}

/** The first n WAV files of a corpus, linked into their own folder. */
function subset(corpus, n) {
  const dir = join(TMP_DIR, `embed_subset_${n}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(corpus).filter((x) => x.endsWith('.wav')).sort().slice(0, n)) symlinkSync(join(corpus, f), join(dir, f));
  writeFileSync(join(dir, '.complete'), String(n));
  return dir;
}

function main() {
  const results = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`, node: process.version, quick: QUICK, loadBefore: os.loadavg().map((x) => Number(x.toFixed(2))) };
  const reps = QUICK ? 2 : 5;
  const out = join(TMP_DIR, 'embed_out');

  // 1. The built-in encoder against the Python script; RSS at three sizes.
  const sizes = QUICK ? [200] : [500, 1000, 2002];
  results.builtin = [];
  for (const n of sizes) {
    const corpus = makeCorpus(join(TMP_DIR, `corpus_${n}`), n);
    const last = n === sizes[sizes.length - 1];
    const withPython = last && !argv.includes('--no-python') && existsSync(PYTHON);
    ours(corpus, 'builtin:logmel-stats', out);
    if (withPython) python(corpus);
    const a = [];
    const p = [];
    for (let r = 0; r < (last ? reps : 1); r++) {
      a.push(ours(corpus, 'builtin:logmel-stats', out));
      if (withPython) p.push(python(corpus));
    }
    const run = { clips: n, audiomill: summarizeRuns(a) };
    if (withPython) {
      run.python = summarizeRuns(p);
      run.speedup = run.python.ms / run.audiomill.ms;
      run.cpuRatio = run.python.cpuS / run.audiomill.cpuS;
    }
    log(`builtin:logmel-stats, ${n} clips: ${(run.audiomill.ms / 1000).toFixed(2)} s, peak RSS ${run.audiomill.peakRssMB} MB${run.python ? `; python ${(run.python.ms / 1000).toFixed(2)} s: ${run.speedup.toFixed(1)}x (target >= 5x)` : ''}`);
    results.builtin.push(run);
  }

  // 2. The speech embedding: the pipeline, its stages alone, and the plain loop.
  const corpus2002 = makeCorpus(join(TMP_DIR, `corpus_${QUICK ? 200 : 2002}`), QUICK ? 200 : 2002);
  const clips = subset(corpus2002, QUICK ? 60 : 200);
  const sreps = QUICK ? 1 : 3;
  ours(clips, SPEC, out); // warm-up
  const pipe = [];
  const inproc = [];
  const stage = [];
  const plain = [];
  const logmel = [];
  for (let r = 0; r < sreps; r++) {
    pipe.push(ours(clips, SPEC, out));
    logmel.push(ours(clips, SPEC_LOGMEL, out));
    inproc.push(JSON.parse(timed(process.execPath, [join(BENCH_DIR, 'lib', 'embed-stages.cjs'), clips, SPEC, 'pipeline']).stdout.trim()));
    stage.push(JSON.parse(timed(process.execPath, [join(BENCH_DIR, 'lib', 'embed-stages.cjs'), clips, SPEC, 'stages']).stdout.trim()));
    plain.push(timed(process.execPath, [join(BENCH_DIR, 'lib', 'embed-stages.cjs'), clips, SPEC, 'plain']));
  }
  const s = {
    clips: stage[0].clips,
    windows: stage[0].windows,
    pipeline: summarizeRuns(pipe),
    frontendMs: median(stage.map((x) => x.decodeMs + x.frontendMs)),
    inferenceMs: median(stage.map((x) => x.inferenceMs)),
    plain: summarizeRuns(plain),
    pipelineLogmel: summarizeRuns(logmel),
    pipelineInProcessMs: median(inproc.map((x) => x.ms)),
  };
  // The overlap, measured like the stages: in-process, the encoder already loaded.
  s.overSlowerStage = s.pipelineInProcessMs / Math.max(s.frontendMs, s.inferenceMs);
  s.speedupOverPlain = s.plain.ms / s.pipeline.ms;
  s.logmelSpeedupOverPlain = s.plain.ms / s.pipelineLogmel.ms;
  s.clipsPerSecond = s.clips / (s.pipeline.ms / 1000);
  s.realtime = (s.clips * 5) / (s.pipeline.ms / 1000);
  results.speech = s;
  log(
    `speech embedding, ${s.clips} clips (${s.windows} windows): pipeline ${(s.pipeline.ms / 1000).toFixed(2)} s (${s.clipsPerSecond.toFixed(1)} clips/s, ${s.realtime.toFixed(0)}x realtime); frontend alone ${(s.frontendMs / 1000).toFixed(2)} s, inference alone ${(s.inferenceMs / 1000).toFixed(2)} s: ${s.overSlowerStage.toFixed(2)}x the slower stage (target <= 1.2); plain loop ${(s.plain.ms / 1000).toFixed(2)} s: ${s.speedupOverPlain.toFixed(2)}x (target >= 2); with the native mel frontend ${(s.pipelineLogmel.ms / 1000).toFixed(2)} s: ${s.logmelSpeedupOverPlain.toFixed(2)}x`,
  );
  results.loadAfter = os.loadavg().map((x) => Number(x.toFixed(2)));

  const { dest, name } = writeResults('embed', results, QUICK);
  log(`wrote ${join(dest, name)}`);
  const sec = secondsRange;
  const report = writeReport(dest, 'embed', 'Embeddings', results, [
    `Load average before ${results.loadBefore.join(' / ')}, after ${results.loadAfter.join(' / ')}. Fresh output folders (no cache); 2 threads.`,
    '',
    '`audiomill embed --model builtin:logmel-stats` against soundfile + torchaudio + numpy (2 processes); median of the runs on the largest corpus (range in brackets):',
    '',
    '| clips | audiomill | CPU | peak RSS | Python | CPU | speed-up (wall / CPU) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.builtin.map((r) => `| ${r.clips} | ${sec(r.audiomill)} | ${r.audiomill.cpuS.toFixed(2)} s | ${r.audiomill.peakRssMB} MB | ${r.python ? `${sec(r.python)} | ${r.python.cpuS.toFixed(2)} s | **${r.speedup.toFixed(1)}x** / ${r.cpuRatio.toFixed(1)}x` : 'n/a | | '} |`),
    '',
    `Google's speech embedding, ${s.clips} five-second clips (${s.windows} windows of 76 mel frames), each a fresh process, median of ${sreps}:`,
    '',
    '| run | wall | note |',
    '| --- | ---: | --- |',
    `| \`audiomill embed\` (the pipeline) | ${sec(s.pipeline)} | ${s.clipsPerSecond.toFixed(1)} clips/s, ${s.realtime.toFixed(0)}× realtime, peak RSS ${s.pipeline.peakRssMB} MB |`,
    `| decode + the mel model alone | ${(s.frontendMs / 1000).toFixed(2)} s | |`,
    `| the embedding model alone (windows precomputed) | ${(s.inferenceMs / 1000).toFixed(2)} s | |`,
    `| the pipeline measured as the stages (in-process, models loaded) | ${(s.pipelineInProcessMs / 1000).toFixed(2)} s | ÷ slower stage: **${s.overSlowerStage.toFixed(2)}** (target <= 1.2) |`,
    `| plain loop with onnxruntime-node (one inference call per model per clip) | ${sec(s.plain)} | ÷ pipeline: **${s.speedupOverPlain.toFixed(2)}×** (target >= 2) |`,
    `| \`audiomill embed\` with models/google-speech-embedding-logmel.json (the mel frontend computed natively) | ${sec(s.pipelineLogmel)} | plain loop ÷ this: ${s.logmelSpeedupOverPlain.toFixed(2)}×; peak RSS ${s.pipelineLogmel.peakRssMB} MB |`,
    '',
  ]);
  console.log(report);
}

main();
