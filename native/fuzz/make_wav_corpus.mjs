// Writes the seed corpus of native/fuzz/wav_fuzz.cc into native/fuzz/corpus/wav/:
// small WAV files (< 4 KiB each) covering every encoding, WAVE_FORMAT_EXTENSIBLE,
// RF64/BW64, odd chunk padding, truncation, streaming sizes and a few malformed
// headers. Deterministic: re-running it reproduces the committed files byte for byte.
//   node native/fuzz/make_wav_corpus.mjs
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = join(dirname(fileURLToPath(import.meta.url)), 'corpus', 'wav');

const ascii = (s) => Buffer.from(s, 'latin1');
const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };

// A chunk: id, 32-bit size (the body's unless given), body, pad byte when odd (unless pad is false).
function chunk(id, body, { size = body.length, pad = true } = {}) {
  const parts = [ascii(id), u32(size), body];
  if (pad && body.length % 2 === 1) parts.push(Buffer.alloc(1));
  return Buffer.concat(parts);
}

function riff(chunks, { magic = 'RIFF', size } = {}) {
  const body = Buffer.concat([ascii('WAVE'), ...chunks]);
  return Buffer.concat([ascii(magic), u32(size ?? body.length), body]);
}

function fmt(tag, channels, rate, bits, align = channels * Math.ceil(bits / 8)) {
  return Buffer.concat([u16(tag), u16(channels), u32(rate), u32(rate * align), u16(align), u16(bits)]);
}

const KSDATAFORMAT_TAIL = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);
function fmtExt(sub, channels, rate, bits, valid, mask) {
  return Buffer.concat([fmt(0xfffe, channels, rate, bits), u16(22), u16(valid), u32(mask), u16(sub), KSDATAFORMAT_TAIL]);
}

function ds64(riffSize, dataSize, sampleCount, table = []) {
  return Buffer.concat([u64(riffSize), u64(dataSize), u64(sampleCount), u32(table.length),
    ...table.flatMap(([id, size]) => [ascii(id), u64(size)])]);
}

// A deterministic test signal in [-1, 1): a chirp-like integer-phase sine per channel.
function signal(frames, channels) {
  const x = [];
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channels; c++) x.push(Math.sin((i * (i + 3 * c + 1)) / 97) * 0.9);
  return x;
}

function encode(x, kind) {
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  switch (kind) {
    case 'u8': return Buffer.from(x.map((v) => clamp(Math.round(v * 128) + 128, 0, 255)));
    case 's16': { const b = Buffer.alloc(x.length * 2); x.forEach((v, i) => b.writeInt16LE(clamp(Math.round(v * 32768), -32768, 32767), i * 2)); return b; }
    case 's24': { const b = Buffer.alloc(x.length * 3); x.forEach((v, i) => b.writeIntLE(clamp(Math.round(v * 8388608), -8388608, 8388607), i * 3, 3)); return b; }
    case 's32': { const b = Buffer.alloc(x.length * 4); x.forEach((v, i) => b.writeInt32LE(clamp(Math.round(v * 2147483648), -2147483648, 2147483647), i * 4)); return b; }
    case 'f32': { const b = Buffer.alloc(x.length * 4); x.forEach((v, i) => b.writeFloatLE(v, i * 4)); return b; }
    case 'f64': { const b = Buffer.alloc(x.length * 8); x.forEach((v, i) => b.writeDoubleLE(v, i * 8)); return b; }
    case 'g711': return Buffer.from(x.map((_, i) => (i * 37 + 11) & 0xff));  // every code shows up
    default: throw new Error(kind);
  }
}

const files = {};
const data = (frames, channels, kind) => encode(signal(frames, channels), kind);

// Every encoding.
files['pcm_u8_mono.wav'] = riff([chunk('fmt ', fmt(1, 1, 8000, 8)), chunk('data', data(301, 1, 'u8'))]);
files['pcm_s16_stereo.wav'] = riff([chunk('fmt ', fmt(1, 2, 44100, 16)), chunk('data', data(200, 2, 's16'))]);
files['pcm_s24_mono.wav'] = riff([chunk('fmt ', fmt(1, 1, 48000, 24)), chunk('data', data(150, 1, 's24'))]);
files['pcm_s32_stereo.wav'] = riff([chunk('fmt ', fmt(1, 2, 96000, 32)), chunk('data', data(100, 2, 's32'))]);
files['pcm_12bit.wav'] = riff([chunk('fmt ', fmt(1, 1, 16000, 12)), chunk('data', data(100, 1, 's16'))]);
files['float32_mono.wav'] = riff([chunk('fmt ', fmt(3, 1, 22050, 32)), chunk('fact', u32(120)),
  chunk('data', data(120, 1, 'f32'))]);
files['float64_stereo.wav'] = riff([chunk('fmt ', fmt(3, 2, 44100, 64)), chunk('data', data(60, 2, 'f64'))]);
files['mulaw_mono.wav'] = riff([chunk('fmt ', fmt(7, 1, 8000, 8)), chunk('data', data(256, 1, 'g711'))]);
files['alaw_stereo.wav'] = riff([chunk('fmt ', fmt(6, 2, 8000, 8)), chunk('data', data(128, 2, 'g711'))]);

// WAVE_FORMAT_EXTENSIBLE.
files['ext_s24in32_stereo.wav'] = riff([chunk('fmt ', fmtExt(1, 2, 48000, 32, 24, 0x3)),
  chunk('data', data(100, 2, 's32'))]);
files['ext_float_6ch.wav'] = riff([chunk('fmt ', fmtExt(3, 6, 48000, 32, 32, 0x3f)), chunk('data', data(40, 6, 'f32'))]);
files['ext_mulaw.wav'] = riff([chunk('fmt ', fmtExt(7, 1, 8000, 8, 8, 0x4)), chunk('data', data(200, 1, 'g711'))]);

// RF64 and BW64: 0xFFFFFFFF sizes resolved by ds64 (and its table for a JUNK chunk).
{
  const d = data(100, 2, 's16');
  files['rf64_s16.wav'] = riff([chunk('ds64', ds64(0, d.length, 100, [['JUNK', 6]])),
    chunk('JUNK', Buffer.alloc(6), { size: 0xffffffff }), chunk('fmt ', fmt(1, 2, 44100, 16)),
    chunk('data', d, { size: 0xffffffff })], { magic: 'RF64', size: 0xffffffff });
  files['rf64_plain_s24.wav'] = riff([chunk('ds64', ds64(0, 150, 50)), chunk('fmt ', fmt(1, 1, 32000, 24)),
    chunk('data', data(50, 1, 's24'), { size: 0xffffffff })], { magic: 'RF64', size: 0xffffffff });
  const f = data(64, 1, 'f32');
  files['bw64_float.wav'] = riff([chunk('ds64', ds64(0, f.length, 64)), chunk('fmt ', fmt(3, 1, 48000, 32)),
    chunk('data', f, { size: 0xffffffff }), chunk('LIST', ascii('INFOISFT\x05\x00\x00\x00test\x00'))],
  { magic: 'BW64', size: 0xffffffff });
}

// Chunk walking.
files['list_odd_before_data.wav'] = riff([chunk('fmt ', fmt(1, 1, 16000, 16)),
  chunk('LIST', ascii('INFOINAM\x05\x00\x00\x00seed\x00')), chunk('JUNK', Buffer.alloc(3)),
  chunk('data', data(100, 1, 's16'))]);
files['odd_pad_missing.wav'] = riff([chunk('fmt ', fmt(1, 1, 16000, 16)), chunk('bext', Buffer.alloc(7, 0x41), { pad: false }),
  chunk('data', data(100, 1, 's16'))]);
files['data_before_fmt.wav'] = riff([chunk('data', data(50, 1, 's16')), chunk('fmt ', fmt(1, 1, 8000, 16))]);
files['block_align_padded.wav'] = riff([chunk('fmt ', fmt(1, 2, 8000, 16, 6)), chunk('data', data(100, 3, 's16'))]);
files['empty_data_then_list.wav'] = riff([chunk('fmt ', fmt(1, 1, 8000, 16)), chunk('data', Buffer.alloc(0)),
  chunk('LIST', ascii('INFO'))]);

// Sizes: truncated data, streaming writers, partial frame.
files['truncated_data.wav'] = riff([chunk('fmt ', fmt(1, 2, 44100, 16)), chunk('data', data(100, 2, 's16'), { size: 40000 })]);
files['streaming_size0.wav'] = riff([chunk('fmt ', fmt(1, 1, 8000, 16)), chunk('data', data(100, 1, 's16'), { size: 0 })],
  { size: 0 });
files['streaming_size_ffffffff.wav'] = riff([chunk('fmt ', fmt(1, 1, 8000, 24)),
  chunk('data', data(100, 1, 's24'), { size: 0xffffffff })], { size: 0xffffffff });
files['partial_frame.wav'] = riff([chunk('fmt ', fmt(1, 2, 8000, 16)), chunk('data', data(50, 2, 's16').subarray(0, 199))]);

// Headers that must be rejected cleanly.
files['adpcm_unsupported.wav'] = riff([chunk('fmt ', Buffer.concat([fmt(2, 1, 8000, 4, 256), u16(2), u16(505)])),
  chunk('data', Buffer.alloc(256, 0x11))]);
files['cut_mid_fmt.wav'] = files['pcm_s16_stereo.wav'].subarray(0, 30);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const [name, bytes] of Object.entries(files)) {
  if (bytes.length >= 4096) throw new Error(`${name} is ${bytes.length} bytes; seeds stay under 4 KiB`);
  writeFileSync(join(outDir, name), bytes);
}
console.log(`wrote ${readdirSync(outDir).length} seeds to ${outDir}`);
