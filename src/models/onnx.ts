/**
 * ONNX encoders over onnxruntime-node (an optional peer dependency), described entirely by a spec (a JSON
 * file beside the model, or an object), so that no code is written per model: the frontend (raw waveform
 * with a scale, one of audiomill's log-mel transforms, or another ONNX model run first), an element-wise
 * normalisation, the model's input layout, windows over long inputs, and the output taken. Every window
 * gives one frame embedding (the output's values for it, flattened), placed at the window's centre.
 * Definitions in docs/models.md, "ONNX encoders".
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AudiomillError, isModuleNotFound } from '../errors.js';
import { sha256File } from '../io/hash.js';
import { LogMelSpectrogram, type LogMelSpectrogramOptions } from '../features/spectrogram.js';
import { getNumThreads } from '../dsp/runtime.js';
import { int, num, oneOf, rangeError, threadsOption, typeError } from '../validate.js';
import { checkClips, EncoderBase, type EncodeOptions, type FrameEmbeddings } from './encoder.js';
import { OrtPool, type OrtOutput, type OrtRunner } from './ort-pool.js';
import { POOLINGS, type Pooling } from './pooling.js';

/** The layouts a model's input may have; `features` are a frame's values (mel bands), `frames` the window's frames. */
export const ONNX_LAYOUTS = ['batch,samples', 'batch,frames,features', 'batch,frames,features,1', 'batch,1,features,frames', 'batch,features,frames'] as const;
export type OnnxLayout = (typeof ONNX_LAYOUTS)[number];

export type OnnxFrontend =
  /** The samples themselves, times `scale` (e.g. 32768 for a model trained on the int16 range). Frames are samples. */
  | { type: 'waveform'; scale?: number }
  /**
   * audiomill's LogMelSpectrogram with these options (its sampleRate is the spec's) on the samples times `scale`;
   * frame t is centred on sample t·hop (t·hop + nFft/2 with `center: false`).
   */
  | { type: 'logmel'; options?: LogMelSpectrogramOptions; scale?: number }
  /**
   * Another ONNX model run first on each clip's samples (times `scale`), whose output, read as rows of its last
   * dimension, is the frame sequence; frame t is centred at `offsetSeconds` + t·`hopSeconds`.
   */
  | { type: 'onnx'; model: string; input?: string; output?: string; scale?: number; hopSeconds: number; offsetSeconds?: number };

export interface OnnxEncoderSpec {
  /** A name for reports (default: the model file's name). */
  name?: string;
  /** The rate the model's input has, Hz. */
  sampleRate: number;
  frontend: OnnxFrontend;
  /** Applied to the frontend's output, element-wise: ((x − mean) / std) · mul + add (defaults 0, 1, 1, 0). */
  normalize?: { mean?: number; std?: number; mul?: number; add?: number };
  /** The model file (relative to the spec file; `npm:<package>/<path>` for a file inside an installed package). */
  model: string;
  /** Its input and output names (default: its first of each). */
  input?: string;
  output?: string;
  layout: OnnxLayout;
  /**
   * Windows of `size` frames every `hop` frames (frames of the frontend: samples for a waveform). A clip shorter
   * than one window is zero-padded to it; the last partial window is dropped unless `pad: 'end'` pads it. Without
   * `window`, the whole clip is one window.
   */
  window?: { size: number; hop: number; pad?: 'none' | 'end' };
  /** Pooling of `sceneEmbeddings` (default 'mean'). */
  pooling?: Pooling;
  /** Windows per inference call of the model (default 32). */
  batchSize?: number;
  /** onnxruntime execution providers, in order (default ['cpu']; 'cuda', 'dml', ... where the installed runtime has them). */
  executionProviders?: string[];
  /**
   * Copies of the model(s) that run side by side, each in its own worker thread (default: on the CPU, as many as
   * audiomill's threads, at most 8, when the model files together are at most 64 MiB; else 1).
   */
  instances?: number;
  /** onnxruntime intra-op threads of each copy (default: audiomill's threads shared out among the copies). */
  threads?: number;
}

/** Model files up to this size (together) run in several copies by default: small models gain more from that than from onnxruntime's threads. */
const SMALL_MODEL_BYTES = 64 * 1024 * 1024;

/* The parts of onnxruntime-node used here (internal); an OrtModel is one loaded model. */
export interface OrtTensor {
  data: Float32Array;
  dims: readonly number[];
}
export interface OrtModel {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface Ort {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtModel> };
  Tensor: new (type: 'float32' | 'int64', data: Float32Array | BigInt64Array, dims: readonly number[]) => OrtTensor;
}

/** onnxruntime-node; DEPENDENCY_MISSING with the command that installs it, or NATIVE_LOAD when it is there but does not load. */
export function loadOrt(): Ort {
  try {
    return require('onnxruntime-node') as Ort; // eslint-disable-line @typescript-eslint/no-require-imports
  } catch (err) {
    if (isModuleNotFound(err, 'onnxruntime-node'))
      throw new AudiomillError('DEPENDENCY_MISSING', "ONNX encoders need the package 'onnxruntime-node' (an optional peer dependency of audiomill): run `npm install onnxruntime-node` (its CPU runtime needs no download)", { cause: err });
    throw new AudiomillError('NATIVE_LOAD', `the package 'onnxruntime-node' is installed but could not be loaded: ${(err as Error).message}`, { cause: err });
  }
}

/** The installed onnxruntime-node's version, or null when it is not installed. */
export function onnxRuntimeVersion(): string | null {
  try {
    return (require('onnxruntime-node/package.json') as { version: string }).version; // eslint-disable-line @typescript-eslint/no-require-imports
  } catch {
    return null;
  }
}

/** A model loaded by onnxruntime; MODEL_INPUT when it cannot be. */
export async function openModel(ort: Ort, path: string, options: Record<string, unknown>): Promise<OrtModel> {
  try {
    return await ort.InferenceSession.create(path, options);
  } catch (err) {
    throw new AudiomillError('MODEL_INPUT', `cannot load the model '${path}': ${(err as Error).message}`, { path, cause: err });
  }
}

/** A model path of a spec: relative to the spec's folder, or `npm:<package>/<path>` inside an installed package. */
export function modelPath(p: string, base: string, option: string): string {
  if (typeof p !== 'string' || p === '') throw typeError('a model file path', option, p);
  if (p.startsWith('npm:')) {
    const rest = p.slice(4);
    const parts = rest.split('/');
    const pkg = rest.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const sub = rest.slice(pkg.length + 1);
    // The package's folder in a node_modules above the spec, the working folder or audiomill itself (not
    // require.resolve: a package's "exports" may hide both its package.json and its model files).
    const above = (start: string) => {
      const dirs: string[] = [];
      for (let d = resolve(start); ; d = dirname(d)) {
        dirs.push(join(d, 'node_modules'));
        if (dirname(d) === d) return dirs;
      }
    };
    const roots = [...above(base), ...above(process.cwd()), ...(require.resolve.paths(pkg) ?? [])];
    const found = roots.map((r) => join(r, pkg)).find((d) => existsSync(join(d, 'package.json')));
    if (found === undefined) throw new AudiomillError('DEPENDENCY_MISSING', `the model '${p}' is in the package '${pkg}', which is not installed: run \`npm install ${pkg}\``);
    return resolve(found, sub);
  }
  return isAbsolute(p) ? p : resolve(base, p);
}

/** A clip's frames: t frames of f values, row-major [t, f], or [f, t] when `featuresMajor` (a log-mel output as it is). */
interface Frames {
  data: Float32Array;
  t: number;
  f: number;
  featuresMajor: boolean;
}

const CREATE = Symbol('OnnxEncoder.create');

/** An encoder over an ONNX model (and an optional ONNX frontend), built by {@link OnnxEncoder.create}. */
export class OnnxEncoder extends EncoderBase {
  readonly name: string;
  readonly sampleRate: number;
  readonly defaultPooling: Pooling;
  /** The spec as resolved (model paths absolute). */
  readonly spec: Readonly<OnnxEncoderSpec>;
  /** Inference calls of the main model made so far. */
  inferences = 0;
  /** A frame's values, and the values per window of the model's output: learnt by create() from a window of silence. */
  private frameWidth = 0;
  private dim = 0;

  get timestampEmbeddingSize(): number {
    return this.dim;
  }

  private constructor(
    token: symbol,
    spec: OnnxEncoderSpec,
    private readonly ort: OrtPool,
    private readonly logmel: LogMelSpectrogram | null,
  ) {
    super();
    if (token !== CREATE) throw typeError('OnnxEncoder.create(spec) (the constructor is internal)', 'new OnnxEncoder', token);
    this.spec = Object.freeze(spec);
    this.name = spec.name ?? spec.model.split(/[\\/]/).pop()!;
    this.sampleRate = spec.sampleRate;
    this.defaultPooling = spec.pooling ?? 'mean';
  }

  /** The main model, and the frontend model when there is one (the pool's second). */
  private get net(): OrtRunner {
    return this.ort.models[0]!;
  }
  private get frontNet(): OrtRunner {
    return this.ort.models[1]!;
  }

  /** Copies of the model(s) running side by side (the spec's `instances`, or the default chosen for it). */
  get instances(): number {
    return this.ort.instances;
  }

  /**
   * Loads the model(s) of a spec (an object, or the path of a JSON file whose relative model paths are taken
   * from its folder) and runs one window of zeros to learn the embedding width.
   */
  static async create(spec: OnnxEncoderSpec | string): Promise<OnnxEncoder> {
    let base = process.cwd();
    let s: OnnxEncoderSpec;
    if (typeof spec === 'string') {
      base = dirname(resolve(spec));
      try {
        s = JSON.parse(readFileSync(spec, 'utf8')) as OnnxEncoderSpec;
      } catch (err) {
        throw new AudiomillError('IO', `cannot read the encoder spec '${spec}': ${(err as Error).message}`, { path: spec, cause: err });
      }
    } else s = spec;
    if (s === null || typeof s !== 'object') throw typeError('an encoder spec object or the path of its JSON file', 'spec', spec);
    // DEPENDENCY_MISSING here, before any worker starts. Loading the addon in this thread first is also what lets the
    // workers load it: onnxruntime-node's addon is not context-aware, and loaded first in a worker of a process that
    // runs several (vitest's pools), another worker's load failed with "Module did not self-register".
    loadOrt();
    const sampleRate = int(s.sampleRate, 'sampleRate', 1, 2 ** 31 - 1);
    const layout = oneOf(s.layout, 'layout', ONNX_LAYOUTS);
    const fe = s.frontend;
    if (fe === null || typeof fe !== 'object') throw typeError('a frontend object', 'frontend', fe);
    oneOf(fe.type, 'frontend.type', ['waveform', 'logmel', 'onnx'] as const);
    if ((fe.type === 'waveform') !== (layout === 'batch,samples')) throw rangeError(`the layout 'batch,samples' with a waveform frontend, and a frame layout with the others`, 'layout', layout);
    const model = modelPath(s.model, base, 'model');
    const frontModel = fe.type === 'onnx' ? modelPath(fe.model, base, 'frontend.model') : null;
    if (fe.type === 'onnx') num(fe.hopSeconds, 'frontend.hopSeconds', { min: 0, exclusiveMin: true });
    if (s.window !== undefined) {
      int(s.window.size, 'window.size', 1, 2 ** 31 - 1);
      int(s.window.hop, 'window.hop', 1, 2 ** 31 - 1);
      oneOf(s.window.pad ?? 'none', 'window.pad', ['none', 'end'] as const);
    }
    if (s.pooling !== undefined) oneOf(s.pooling, 'pooling', POOLINGS);
    if (s.batchSize !== undefined) int(s.batchSize, 'batchSize', 1, 1 << 16);
    const providers = s.executionProviders ?? ['cpu'];
    if (!Array.isArray(providers) || providers.length === 0 || providers.some((p) => typeof p !== 'string')) throw typeError('a non-empty array of execution provider names', 'executionProviders', providers);
    const files = [model, ...(frontModel ? [frontModel] : [])];
    const budget = getNumThreads();
    const small = () => files.reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0) <= SMALL_MODEL_BYTES;
    const instances = s.instances !== undefined ? int(s.instances, 'instances', 1, 64) : providers.every((p) => p === 'cpu') && small() ? Math.min(budget, 8) : 1;
    const threads = s.threads !== undefined ? int(s.threads, 'threads', 1, 1024) : Math.max(1, Math.floor(budget / instances));
    // onnxruntime's own log stays quiet: every failure reaches the caller as an AudiomillError.
    // Its threads wait without spinning: they share the cores with the native pool's decoding and resampling, and
    // spinning threads then cost up to half the throughput (100 speech-embedding clips: 4.3-4.7 s without, 4.4-6.6 s with).
    const options = {
      executionProviders: providers,
      logSeverityLevel: 4,
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      intraOpNumThreads: threads,
    };
    for (const f of files) if (!existsSync(f)) throw new AudiomillError('MODEL_INPUT', `cannot load the model '${f}': no such file`, { path: f });
    const pool = await OrtPool.open(files, options, instances);
    const logmel = fe.type === 'logmel' ? new LogMelSpectrogram({ ...(fe.options ?? {}), sampleRate }) : null;
    const resolved: OnnxEncoderSpec = { ...s, model, frontend: fe.type === 'onnx' ? { ...fe, model: frontModel! } : fe };
    // The frame width and the embedding width, from one window of silence.
    const enc = new OnnxEncoder(CREATE, resolved, pool, logmel);
    try {
      await enc.probe();
    } catch (err) {
      await pool.close();
      throw err;
    }
    return enc;
  }

  /** Learns the frame width and the embedding width from one second of silence. */
  private async probe(): Promise<void> {
    const layout = this.spec.layout;
    const [frames] = await this.frontendFrames([new Float32Array(Math.max(this.sampleRate, 1))]);
    const width = layout === 'batch,samples' ? 1 : frames!.f;
    this.frameWidth = width;
    const size = this.spec.window?.size ?? 1;
    const [one] = await this.windowEmbeddings([frames!.t >= size ? frames! : { data: new Float32Array(size * width), t: size, f: width, featuresMajor: false }]);
    this.dim = one!.d;
    this.inferences = 0; // the probe is not the caller's
  }

  /** The frontend's frames of each clip (a waveform is t samples of width 1; log-mel frames come features-major, in one batch). */
  private async frontendFrames(xs: Float32Array[], threads?: number): Promise<Frames[]> {
    const fe = this.spec.frontend;
    const scale = fe.scale ?? 1;
    if (fe.type === 'waveform') return xs.map((x) => ({ data: scaled(x, scale), t: x.length, f: 1, featuresMajor: false }));
    if (fe.type === 'logmel') {
      const ms = await this.logmel!.computeBatchAsync(
        xs.map((x) => scaled(x, scale)),
        threads === undefined ? {} : { threads },
      );
      return ms.map((m) => ({ data: m.data, t: m.shape[1]!, f: m.shape[0]!, featuresMajor: true }));
    }
    const s = this.frontNet;
    const input = fe.input ?? s.inputNames[0]!;
    const output = fe.output ?? s.outputNames[0]!;
    return Promise.all(
      xs.map(async (x) => {
        const out = await runModel(s, input, output, scaled(x, scale), [1, x.length], fe.model, scale !== 1);
        const f = out.dims[out.dims.length - 1]!;
        return { data: out.data, t: out.data.length / f, f, featuresMajor: false };
      }),
    );
  }

  /** The window starts of a clip of t frames. */
  private windows(t: number): number[] {
    const w = this.spec.window;
    if (!w) return [0];
    const starts: number[] = [];
    for (let s = 0; s + w.size <= t; s += w.hop) starts.push(s);
    if (w.pad === 'end' ? starts.length === 0 || starts[starts.length - 1]! + w.size < t : starts.length === 0) starts.push(starts.length === 0 ? 0 : starts[starts.length - 1]! + w.hop);
    return starts;
  }

  /** Runs the model on every window of every clip's frames (batched); one row of d values per window. */
  private async windowEmbeddings(clips: Frames[]): Promise<{ data: Float32Array; d: number; starts: number[] }[]> {
    const spec = this.spec;
    const layout = spec.layout;
    const f = layout === 'batch,samples' ? 1 : this.frameWidth;
    const n = spec.normalize ?? {};
    const [mean, std, mul, add] = [n.mean ?? 0, n.std ?? 1, n.mul ?? 1, n.add ?? 0];
    const jobs: { clip: number; start: number; size: number }[] = [];
    const starts = clips.map((c, i) => {
      const st = this.windows(c.t);
      for (const s of st) jobs.push({ clip: i, start: s, size: spec.window?.size ?? c.t });
      return st;
    });
    const results: Float32Array[] = new Array(jobs.length);
    let d = -1;
    const batch = spec.batchSize ?? 32;
    // The model's input: [frames, features] per window, or features-major for the layouts that put features first.
    const modelFeaturesMajor = layout === 'batch,1,features,frames' || layout === 'batch,features,frames';
    const input = spec.input ?? this.net.inputNames[0]!;
    const output = spec.output ?? this.net.outputNames[0]!;
    // Windows [j, k) in one call (all of one size), their rows into `results`.
    const run = async (j: number, k: number): Promise<void> => {
      const size = jobs[j]!.size;
      const data = new Float32Array((k - j) * size * f);
      // Strides of a frame and of a feature, in the window written and in the clip read.
      const [outT, outF] = modelFeaturesMajor ? [1, size] : [f, 1];
      for (let q = j; q < k; q++) {
        const { clip, start } = jobs[q]!;
        const c = clips[clip]!;
        const [inT, inF] = c.featuresMajor ? [1, c.t] : [f, 1];
        const base = (q - j) * size * f;
        for (let i = 0; i < size && start + i < c.t; i++) {
          const from = (start + i) * inT;
          const to = base + i * outT;
          for (let b = 0; b < f; b++) data[to + b * outF] = ((c.data[from + b * inF]! - mean) / std) * mul + add;
        }
        // Frames past the clip's end stay 0 (padding), in the model's input units.
      }
      const dims =
        layout === 'batch,samples' ? [k - j, size]
        : layout === 'batch,frames,features' ? [k - j, size, f]
        : layout === 'batch,frames,features,1' ? [k - j, size, f, 1]
        : layout === 'batch,1,features,frames' ? [k - j, 1, f, size]
        : [k - j, f, size];
      const out = await runModel(this.net, input, output, data, dims, spec.model, true);
      this.inferences++;
      const per = out.data.length / (k - j);
      if (out.dims[0] !== k - j || !Number.isInteger(per)) throw new AudiomillError('MODEL_OUTPUT', `the model '${spec.model}' gave an output of shape [${out.dims.join(', ')}] for a batch of ${k - j}: expected the batch first`, { path: spec.model });
      if (d >= 0 && per !== d) throw new AudiomillError('MODEL_OUTPUT', `the model '${spec.model}' gave ${per} values per window after ${d}`, { path: spec.model });
      d = per;
      for (let q = j; q < k; q++) results[q] = out.data.subarray((q - j) * per, (q - j + 1) * per);
    };
    // Windows of one size run together (all of them with a window; clip by clip without). Each copy of the model
    // has a call running and one waiting, so none idles while the next input is built.
    const calls: [number, number][] = [];
    for (let j = 0; j < jobs.length; ) {
      let k = j;
      while (k < jobs.length && k - j < batch && jobs[k]!.size === jobs[j]!.size) k++;
      calls.push([j, k]);
      j = k;
    }
    await inParallel(calls.length, 2 * this.ort.instances, (i) => run(...calls[i]!));
    let at = 0;
    return clips.map((_, i) => {
      const st = starts[i]!;
      const data = new Float32Array(st.length * Math.max(d, 0));
      st.forEach((_s, w) => data.set(results[at + w]!, w * d));
      at += st.length;
      return { data, d, starts: st };
    });
  }

  async frameEmbeddings(clips: readonly Float32Array[], options: EncodeOptions = {}): Promise<FrameEmbeddings[]> {
    this.checkOpen();
    const xs = checkClips(clips);
    const frames = await this.frontendFrames(xs, threadsOption(options?.threads));
    const out = await this.windowEmbeddings(frames);
    // Window k covers frames [start, start + size): its centre is frame c = start + (size - 1) / 2, at sample c
    // (a waveform) or the log-mel transform's frameCentre(c), over the rate (one division, so whole milliseconds
    // come out exact), or at offset + c · hopSeconds (an ONNX frontend).
    const fe = this.spec.frontend;
    const ms = (c: number) =>
      fe.type === 'onnx'
        ? 1000 * (fe.offsetSeconds ?? 0) + c * 1000 * fe.hopSeconds
        : ((fe.type === 'waveform' ? c : this.logmel!.frameCentre(c)) * 1000) / this.sampleRate;
    return out.map((o, i) => {
      const size = this.spec.window?.size ?? frames[i]!.t;
      const timestamps = Float64Array.from(o.starts, (s) => ms(s + (size - 1) / 2));
      return { embeddings: { data: o.data, shape: [o.starts.length, o.d] }, timestamps };
    });
  }

  /** SHA-256 of the model file(s) and of the spec without its paths (the same model moved elsewhere keeps it). */
  async fingerprint(): Promise<string> {
    const fe = this.spec.frontend;
    const files = [this.spec.model, ...(fe.type === 'onnx' ? [fe.model] : [])];
    const hashes = await Promise.all(files.map((f) => sha256File(f)));
    const { model: _m, ...rest } = this.spec;
    const frontend = fe.type === 'onnx' ? { ...fe, model: undefined } : fe;
    return JSON.stringify(['onnx', 1, hashes, { ...rest, frontend }]);
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    await super.close();
    await this.ort.close();
  }
}

function scaled(x: Float32Array, scale: number): Float32Array {
  if (scale === 1) return x;
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * scale;
  return y;
}

/** One inference call; MODEL_INPUT for an input the model refuses or lacks, MODEL_OUTPUT for an output it lacks or that is not float32. */
async function runModel(s: OrtRunner, input: string, output: string, data: Float32Array, dims: number[], path: string, owned: boolean): Promise<OrtOutput & { data: Float32Array }> {
  if (!s.inputNames.includes(input)) throw new AudiomillError('MODEL_INPUT', `the model '${path}' has no input '${input}' (its inputs: ${s.inputNames.join(', ')})`, { path });
  if (!s.outputNames.includes(output)) throw new AudiomillError('MODEL_OUTPUT', `the model '${path}' has no output '${output}' (its outputs: ${s.outputNames.join(', ')})`, { path });
  let out: OrtOutput;
  try {
    out = await s.run(input, output, data, dims, owned);
  } catch (err) {
    if (err instanceof AudiomillError) throw err;
    throw new AudiomillError('MODEL_INPUT', `the model '${path}' refused an input of shape [${dims.join(', ')}]: ${(err as Error).message}`, { path, cause: err });
  }
  if (!(out.data instanceof Float32Array)) throw new AudiomillError('MODEL_OUTPUT', `the model '${path}' output '${output}' is ${out.type}, not float32`, { path });
  return out as OrtOutput & { data: Float32Array };
}

/** Runs task(0) ... task(n - 1), at most `limit` at once; rejects with the first failure once the running ones have settled. */
async function inParallel(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | null = null;
  const lane = async () => {
    while (next < n && failed === null) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
  if (failed !== null) throw (failed as { err: unknown }).err;
}
