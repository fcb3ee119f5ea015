/**
 * Audio fingerprints for near-duplicates, in the manner of Haitsma and Kalker's sub-band energy-difference
 * fingerprint (2002): the clip at 16 kHz, frames of 2,048 samples (128 ms) every 256 (16 ms), the power in 33 mel
 * bands from 300 to 7,000 Hz (speech, music and most bird song), and per frame 32 bits, bit m = 1 when
 *
 *   (E[n, m] − E[n, m+1]) − (E[n−1, m] − E[n−1, m+1]) > 0,
 *
 * the sign of the change over time of the difference between neighbouring bands. The bits do not change with gain
 * (every energy scales alike), survive lossy coding and resampling (bands in Hz, far below any codec's cut-off),
 * and a time shift only moves them along the frames. Frames without energy (digital silence) are not used.
 *
 * Matching (`matchFingerprints`): every frame's 32-bit value, and the values with its least reliable bits flipped,
 * are looked up in one table of all frames (sorted by value, so the work grows with the number of frames, not with
 * the number of pairs of clips); values shared by two clips vote for their pair at the frame offset between them;
 * the pairs with enough votes are verified by the bit error rate (BER) over their aligned frames: the share of
 * differing bits. Two unrelated clips differ in about half their bits; a re-encoded, resampled, gain-changed or
 * shifted copy in a small share.
 */
import { MelSpectrogram } from '../features/spectrogram.js';

export const FINGERPRINT = { sampleRate: 16000, nFft: 2048, hop: 256, bands: 33, fMin: 300, fMax: 7000 } as const;

export interface Fingerprint {
  /** One 32-bit value per frame (frame 0 has none: its bits are 0 and it is not valid). */
  bits: Uint32Array;
  /** 1 where the frame (and the one before it) had energy. */
  valid: Uint8Array;
  /** Per frame, its WEAK least reliable bits (smallest |energy difference|), as bit masks' positions 0..31. */
  weak: Uint8Array;
}

/** Bits per frame flipped when searching (the least reliable ones: where a codec's noise flips bits). */
export const WEAK = 8;

let mel: MelSpectrogram | null = null;

function transform(): MelSpectrogram {
  mel ??= new MelSpectrogram({ sampleRate: FINGERPRINT.sampleRate, nFft: FINGERPRINT.nFft, hopLength: FINGERPRINT.hop, nMels: FINGERPRINT.bands, fMin: FINGERPRINT.fMin, fMax: FINGERPRINT.fMax, center: false, power: 2 });
  return mel;
}

/** The fingerprint of band energies `e` ([33, frames], row-major). */
export function fingerprintOfBands(e: Float32Array, frames: number): Fingerprint {
  const B = FINGERPRINT.bands;
  const bits = new Uint32Array(frames);
  const valid = new Uint8Array(frames);
  const weak = new Uint8Array(frames * WEAK);
  const mag = new Float64Array(32);
  const small = new Float64Array(WEAK), smallAt = new Uint8Array(WEAK);
  let peak = 0;
  const total = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let s = 0;
    for (let b = 0; b < B; b++) s += e[b * frames + f]!;
    total[f] = s;
    if (s > peak) peak = s;
  }
  // A frame counts when it holds energy: above 1e-10 (−100 dB re full scale) and within 90 dB of the clip's loudest.
  const floor = Math.max(1e-10, peak * 1e-9);
  for (let f = 1; f < frames; f++) {
    if (!(total[f]! > floor && total[f - 1]! > floor)) continue;
    let v = 0;
    for (let m = 0; m < 32; m++) {
      const d = e[m * frames + f]! - e[(m + 1) * frames + f]! - (e[m * frames + f - 1]! - e[(m + 1) * frames + f - 1]!);
      if (d > 0) v |= 1 << (31 - m);
      mag[m] = Math.abs(d);
    }
    bits[f] = v >>> 0;
    valid[f] = 1;
    // The WEAK smallest magnitudes, by insertion into a sorted list of WEAK.
    let len = 0;
    for (let m = 0; m < 32; m++) {
      const x = mag[m]!;
      if (len === WEAK && x >= small[WEAK - 1]!) continue;
      let j = len < WEAK ? len++ : WEAK - 1;
      while (j > 0 && small[j - 1]! > x) {
        small[j] = small[j - 1]!;
        smallAt[j] = smallAt[j - 1]!;
        j--;
      }
      small[j] = x;
      smallAt[j] = m;
    }
    for (let j = 0; j < WEAK; j++) weak[f * WEAK + j] = 31 - smallAt[j]!;
  }
  return { bits, valid, weak };
}

/** Fingerprints of clips at 8 kHz (computed in the native pool, off the event loop). */
export async function fingerprints(clips: readonly Float32Array[]): Promise<Fingerprint[]> {
  const out: Fingerprint[] = [];
  const t = transform();
  const long = clips.map((c) => (c.length >= FINGERPRINT.nFft ? c : null));
  const sized = long.filter((c): c is Float32Array => c !== null);
  const spectra = sized.length ? await t.computeBatchAsync(sized) : [];
  let k = 0;
  for (const c of long) {
    if (!c) {
      out.push(emptyFingerprint());
      continue;
    }
    const s = spectra[k++]!;
    out.push(fingerprintOfBands(s.data, s.shape[1]!));
  }
  return out;
}

/** The fingerprint of a clip too short for one frame (or unreadable): nothing to match. */
export function emptyFingerprint(): Fingerprint {
  return { bits: new Uint32Array(0), valid: new Uint8Array(0), weak: new Uint8Array(0) };
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** BER of b against a shifted by `offset` frames (b's frame f + offset is a's frame f), over frames valid in both. */
export function bitErrorRate(a: Fingerprint, b: Fingerprint, offset: number): { ber: number; frames: number } {
  let diff = 0, frames = 0;
  const start = Math.max(0, -offset), end = Math.min(a.bits.length, b.bits.length - offset);
  for (let f = start; f < end; f++) {
    if (!a.valid[f] || !b.valid[f + offset]) continue;
    diff += popcount((a.bits[f]! ^ b.bits[f + offset]!) >>> 0);
    frames++;
  }
  return { ber: frames ? diff / (32 * frames) : 1, frames };
}

export interface FingerprintMatch {
  a: number;
  b: number;
  /** b's frame f + offset lines up with a's frame f (a copy of a that starts −offset × 16 ms later has offset < 0). */
  offset: number;
  ber: number;
  /** Frames compared. */
  frames: number;
}

export interface MatchOptions {
  /** A pair matches when its BER is at most this (default 0.25). */
  maxBer?: number;
  /** Votes a pair needs at one offset (pooled with its neighbours; a frame pair found from either clip votes once each way; default 3). */
  minVotes?: number;
  /** Frames compared at least this many (default 30: about half a second). */
  minFrames?: number;
  /** Frame values found in more frames than this carry no information and are skipped (default 200). */
  maxRun?: number;
}

/** LSD radix sort of indices 0..n-1 by 32-bit keys (two 16-bit passes): linear in n. */
function sortByKey(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (const shift of [0, 16]) {
    const count = new Uint32Array(65537);
    for (let i = 0; i < n; i++) count[((keys[order[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 65536; d++) count[d + 1]! += count[d]!;
    for (let i = 0; i < n; i++) {
      const k = order[i]!;
      next[count[(keys[k]! >>> shift) & 0xffff]!++] = k;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** Where each distinct value's run starts in a sorted array and how long it is: an open-addressing hash table. */
class RunTable {
  private constructor(
    readonly keys: Uint32Array,
    readonly start: Int32Array,
    readonly length: Int32Array,
    private readonly shift: number,
  ) {}

  static of(sorted: Uint32Array): RunTable {
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
    let bits = 4;
    while (1 << bits < 2 * distinct) bits++;
    const t = new RunTable(new Uint32Array(1 << bits), new Int32Array(1 << bits), new Int32Array(1 << bits), 32 - bits);
    for (let i = 0; i < sorted.length; ) {
      let j = i + 1;
      while (j < sorted.length && sorted[j] === sorted[i]) j++;
      let h = Math.imul(sorted[i]!, 0x9e3779b1) >>> t.shift;
      while (t.length[h]! > 0) h = (h + 1) & (t.keys.length - 1);
      t.keys[h] = sorted[i]!;
      t.start[h] = i;
      t.length[h] = j - i;
      i = j;
    }
    return t;
  }

  /** The slot of `key`, or -1. */
  find(key: number): number {
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.length[h]! > 0) {
      if (this.keys[h] === key) return h;
      h = (h + 1) & (this.keys.length - 1);
    }
    return -1;
  }
}

/**
 * The pairs of clips whose fingerprints match (a < b), best offset each. Every frame of every clip is in one table
 * sorted by value; each frame of each clip (every `stride`-th, so that the lookups stay near 2 million frames in
 * all) looks up its value and the values with one or two of its WEAK least reliable bits flipped (1 + 8 + 28
 * probes: a codec's noise flips those bits first), and each frame found in another clip votes for that pair at the
 * offset between the frames. The pairs with `minVotes` at an offset (pooled with its two neighbours) are verified by
 * their BER over every aligned frame.
 */
export async function matchFingerprints(prints: readonly Fingerprint[], options: MatchOptions = {}): Promise<FingerprintMatch[]> {
  const maxBer = options.maxBer ?? 0.25, minVotes = options.minVotes ?? 3, minFrames = options.minFrames ?? 30, maxRun = options.maxRun ?? 200;
  let total = 0;
  for (const p of prints) for (const v of p.valid) total += v;
  const keys = new Uint32Array(total), clip = new Int32Array(total), frame = new Int32Array(total);
  let k = 0;
  prints.forEach((p, c) => {
    for (let f = 0; f < p.bits.length; f++) {
      if (!p.valid[f]) continue;
      keys[k] = p.bits[f]!;
      clip[k] = c;
      frame[k++] = f;
    }
  });
  const order = sortByKey(keys);
  const sorted = Uint32Array.from(order, (i) => keys[i]!);
  const runs = RunTable.of(sorted);
  const validFrames = prints.map(count);
  const stride = Math.max(1, Math.ceil(total / 2_000_000));
  const n = prints.length;
  const votes = new Map<number, Map<number, number>>();
  const probes = new Uint32Array(1 + WEAK + (WEAK * (WEAK - 1)) / 2);
  for (let c = 0; c < prints.length; c++) {
    // The lookups run on this thread: it yields every 256 clips, so timers and I/O keep going.
    if (c % 256 === 255) await new Promise<void>((resolve) => setImmediate(resolve));
    const p = prints[c]!;
    // Frame 0 has no bits; with a stride, each clip starts at its own phase so short clips still look up.
    for (let f = 1 + (c % stride); f < p.bits.length; f += stride) {
      if (!p.valid[f]) continue;
      const v = p.bits[f]!;
      let np = 0;
      probes[np++] = v;
      for (let i = 0; i < WEAK; i++) {
        const bi = 1 << p.weak[f * WEAK + i]!;
        probes[np++] = (v ^ bi) >>> 0;
        for (let j = i + 1; j < WEAK; j++) probes[np++] = (v ^ bi ^ (1 << p.weak[f * WEAK + j]!)) >>> 0;
      }
      for (let q = 0; q < np; q++) {
        const slot = runs.find(probes[q]!);
        if (slot < 0) continue;
        const at = runs.start[slot]!, end = at + runs.length[slot]!;
        if (end - at > maxRun) continue; // a value in many frames carries no information
        for (let e = at; e < end; e++) {
          const other = clip[order[e]!]!;
          if (other === c) continue;
          const [a, b, off] = c < other ? [c, other, frame[order[e]!]! - f] : [other, c, f - frame[order[e]!]!];
          const key = a * n + b;
          let m = votes.get(key);
          if (!m) votes.set(key, (m = new Map()));
          m.set(off, (m.get(off) ?? 0) + 1);
        }
      }
    }
  }
  const out: FingerprintMatch[] = [];
  for (const [key, offsets] of votes) {
    const a = Math.floor(key / n), b = key - a * n;
    // Offsets with enough votes (neighbouring offsets pooled: a shift between two hops splits its votes).
    let best: FingerprintMatch | null = null;
    const shorter = Math.min(validFrames[a]!, validFrames[b]!);
    // The pair must overlap over half the shorter clip, and over minFrames unless the shorter clip is that short.
    const need = Math.max(Math.min(minFrames, shorter), Math.ceil(0.5 * shorter));
    for (const [off, v] of offsets) {
      const pooled = v + (offsets.get(off - 1) ?? 0) + (offsets.get(off + 1) ?? 0);
      if (pooled < minVotes) continue;
      const r = bitErrorRate(prints[a]!, prints[b]!, off);
      if (r.frames < need) continue;
      if (!best || r.ber < best.ber) best = { a, b, offset: off, ber: r.ber, frames: r.frames };
    }
    if (best && best.ber <= maxBer) out.push(best);
  }
  return out.sort((x, y) => x.a - y.a || x.b - y.b);
}

function count(p: Fingerprint): number {
  let s = 0;
  for (const v of p.valid) s += v;
  return s;
}
