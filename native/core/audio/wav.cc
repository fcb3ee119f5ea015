// Our WAV reader (see wav.h), written from the RIFF/WAVE, RF64/BW64 (EBU Tech 3306,
// ITU-R BS.2088) and G.711 format descriptions.
//
// Behaviours chosen where the formats leave room (each one a deliberate decision):
//  - Magic: "RIFF", "RF64" or "BW64" followed by "WAVE". "RIFX" (big-endian) is
//    UNSUPPORTED_FORMAT. Fewer than 12 bytes: DECODE_TRUNCATED when the bytes are a
//    prefix of a valid header, otherwise DECODE_CORRUPT ("not a WAV file").
//  - Chunk walk: starts at byte 12 and ends at the end of the file (the RIFF size is
//    only used to tell "truncated" from "corrupt" when no data chunk is found; many
//    writers get it wrong). Odd chunk sizes are padded to even; when the padded position
//    does not hold a plausible chunk id (4 printable ASCII bytes) but the unpadded one
//    does, the writer forgot the pad byte and we follow it (libsndfile rejects these).
//    At most kMaxChunks chunks are visited before the data (DECODE_CORRUPT beyond), so
//    a file of millions of empty chunks cannot stall the parser.
//  - The first fmt chunk and the first data chunk are used. A data chunk before the fmt
//    chunk is accepted when its size is explicit and the fmt chunk follows it; otherwise
//    DECODE_CORRUPT ("data chunk before fmt chunk").
//  - No data chunk: DECODE_TRUNCATED when the file was visibly cut (a chunk or chunk
//    header runs past the end, or the RIFF size promises more bytes); DECODE_CORRUPT
//    ("no data chunk") when the RIFF container is complete.
//  - Data size 0 or 0xFFFFFFFF (and, in RF64, a ds64 data size of 0 or 2^64-1) means
//    "to the end of the file" — except a size-0 data chunk directly followed by a known
//    chunk id (LIST, id3, cue, ...), which is a genuinely empty recording. In RF64/BW64
//    a 0xFFFFFFFF size takes ds64's 64-bit size; ds64's table supplies the 64-bit size
//    of any other chunk marked 0xFFFFFFFF.
//  - A declared data size beyond the file: truncated = true, num_frames = whole frames
//    present. A trailing partial frame is ignored.
//  - Sanity limits (DECODE_CORRUPT): channels 1..1024; sample rate 1..10,000,000 Hz (above
//    that is radio I/Q, not audio, and downstream plans would be absurd); fmt chunk < 16
//    bytes (< 40 for WAVE_FORMAT_EXTENSIBLE); PCM with 0 bits per sample.
//  - Sample container: bits per sample rounded up to whole bytes decides the decoder
//    (12-bit → 2-byte s16, 20-bit → 3-byte s24, as libsndfile); values are not shifted.
//    PCM above 32 bits and float other than 32/64 bits are UNSUPPORTED_FORMAT. For
//    extensible files wBitsPerSample (the container) decides, so 24 valid bits in a 32-bit
//    container decode as s32 (as libsndfile); wValidBitsPerSample is kept in valid_bits.
//    The subformat GUID's first two bytes give the tag; the rest of the GUID is not checked
//    (Ambisonic B-format GUIDs carry the same tags).
//  - G.711 mu-law/A-law always use one byte per sample whatever wBitsPerSample says
//    (libsndfile tolerates the same), reported as 8 bits.
//  - block_align 0 → channels × container bytes; smaller than that → DECODE_CORRUPT;
//    larger → used as the frame stride (sample c sits at c × container bytes in the frame).
//    libsndfile instead always strides by channels × container bytes; the two agree on
//    every well-formed file.
//  - Scaling is libsndfile's float32: u8 (v-128)/128, s16 v/2^15, s24 v/2^23, s32 v/2^31
//    (float(v) × 2^-31 — one rounding, equal to float(double(v)/2^31)), float32 as is,
//    float64 rounded to nearest float (±inf beyond FLT_MAX), G.711 via the 16-bit linear
//    value / 32768.
//  - ChannelMix::Mean is bit-identical to numpy's float32 x.mean(axis=1) on the
//    (frames, channels) array soundfile returns: numpy's pairwise summation order
//    (sequential below 8 channels, 8 accumulators up to 128, halving above), added to
//    +0.0f, then divided by the channel count in float.
#include "audio/wav.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "util/error.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wav.cc loads samples with memcpy and assumes a little-endian host"
#endif

namespace audiomill {

namespace {

constexpr int kMaxChannels = 1024;
constexpr std::uint32_t kMaxSampleRate = 10000000;
constexpr int kMaxChunks = 4096;
constexpr std::size_t kBlockBytes = 256 * 1024;  // bytes per ByteSource::read in read_wav_frames
constexpr std::uint16_t kTagPcm = 0x0001, kTagFloat = 0x0003, kTagALaw = 0x0006, kTagMuLaw = 0x0007,
                        kTagExtensible = 0xFFFE;

std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t le64(const unsigned char* p) {
  return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}
bool is_id(const unsigned char* p, const char* id) { return std::memcmp(p, id, 4) == 0; }
bool plausible_id(const unsigned char* p) {
  for (int i = 0; i < 4; ++i)
    if (p[i] < 0x20 || p[i] > 0x7E) return false;
  return true;
}

// a + b, or false when it would exceed 2^64 - 1.
bool add_ok(std::uint64_t a, std::uint64_t b, std::uint64_t* sum) {
  if (b > std::numeric_limits<std::uint64_t>::max() - a) return false;
  *sum = a + b;
  return true;
}

std::string hex4(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04X", v & 0xFFFFu);
  return buf;
}

std::string id_text(const unsigned char* p) {
  std::string s;
  for (int i = 0; i < 4; ++i) s += (p[i] >= 0x20 && p[i] <= 0x7E) ? static_cast<char>(p[i]) : '?';
  return s;
}

const char* tag_name(std::uint16_t tag) {
  switch (tag) {
    case 0x0000: return "unknown";
    case 0x0002: return "Microsoft ADPCM";
    case 0x0011: return "IMA ADPCM";
    case 0x0022: return "TrueSpeech";
    case 0x0031: return "GSM 6.10";
    case 0x0040: return "G.721 ADPCM";
    case 0x0050: return "MPEG";
    case 0x0055: return "MPEG Layer 3";
    case 0x0064: return "G.726 ADPCM";
    case 0x00FF: return "AAC";
    case 0x0161: return "Windows Media Audio";
    case 0x0162: return "Windows Media Audio Pro";
    case 0x0163: return "Windows Media Audio Lossless";
    case 0x1610: return "HE-AAC";
    case 0x2000: return "Dolby AC-3";
    case 0x2001: return "DTS";
    case 0xF1AC: return "FLAC";
    case kTagExtensible: return "extensible";
    default: return nullptr;
  }
}

[[noreturn]] void corrupt(const std::string& m) { throw CoreError("DECODE_CORRUPT", m); }
[[noreturn]] void truncated(const std::string& m) { throw CoreError("DECODE_TRUNCATED", m); }
[[noreturn]] void unsupported(const std::string& m) { throw CoreError("UNSUPPORTED_FORMAT", m); }
[[noreturn]] void invalid(const std::string& m) { throw CoreError("INVALID_ARGUMENT", m); }

[[noreturn]] void unsupported_tag(std::uint16_t tag, bool sub) {
  const char* name = tag_name(tag);
  std::string what = hex4(tag) + (name ? std::string(" (") + name + ")" : std::string());
  if (sub) unsupported("WAV format tag 0xFFFE (extensible) with subformat " + what + " is not supported");
  unsupported("WAV format tag " + what + " is not supported");
}

// Bytes per sample of an encoding (the container), 0 for an invalid value.
std::size_t sample_bytes(WavEncoding e) {
  switch (e) {
    case WavEncoding::PcmU8: case WavEncoding::MuLaw: case WavEncoding::ALaw: return 1;
    case WavEncoding::PcmS16: return 2;
    case WavEncoding::PcmS24: return 3;
    case WavEncoding::PcmS32: case WavEncoding::Float32: return 4;
    case WavEncoding::Float64: return 8;
  }
  return 0;
}

// ---- fmt chunk --------------------------------------------------------------------------

struct Fmt {
  std::uint16_t tag = 0;
  int channels = 0;
  std::uint32_t rate = 0;
  std::uint16_t block_align = 0;
  std::uint16_t bits = 0;
  bool extensible = false;
  std::uint16_t valid_bits = 0;
  std::uint32_t channel_mask = 0;
};

// `got` bytes of a fmt chunk of declared size `size` were read into b (got <= 40).
Fmt parse_fmt(const unsigned char* b, std::size_t got, std::uint64_t size) {
  if (size < 16) corrupt("fmt chunk is " + std::to_string(size) + " bytes, at least 16 are needed");
  if (got < 16) truncated("the file ends inside the fmt chunk");
  Fmt f;
  f.tag = le16(b);
  f.channels = le16(b + 2);
  f.rate = le32(b + 4);
  f.block_align = le16(b + 12);
  f.bits = le16(b + 14);
  if (f.channels == 0 || f.channels > kMaxChannels)
    corrupt("WAV header declares " + std::to_string(f.channels) + " channels (expected 1 to " +
            std::to_string(kMaxChannels) + ")");
  if (f.rate == 0 || f.rate > kMaxSampleRate)
    corrupt("WAV header declares a sample rate of " + std::to_string(f.rate) + " Hz (expected 1 to " +
            std::to_string(kMaxSampleRate) + ")");
  f.valid_bits = f.bits;
  if (f.tag == kTagExtensible) {
    if (size < 40) corrupt("extensible fmt chunk is " + std::to_string(size) + " bytes, at least 40 are needed");
    if (got < 40) truncated("the file ends inside the fmt chunk");
    f.extensible = true;
    f.valid_bits = le16(b + 18);
    f.channel_mask = le32(b + 20);
    f.tag = le16(b + 24);  // the subformat GUID's first two bytes
  }
  return f;
}

// Fills the format fields of `info` from a parsed fmt chunk, or throws.
void apply_fmt(const Fmt& f, WavInfo& info) {
  std::size_t bytes = 0;
  int bits = f.bits;
  switch (f.tag) {
    case kTagPcm:
      if (f.bits == 0) corrupt("PCM WAV with 0 bits per sample");
      if (f.bits > 32) unsupported("PCM WAV with " + std::to_string(f.bits) + " bits per sample is not supported");
      bytes = (f.bits + 7u) / 8u;
      bits = static_cast<int>(bytes * 8);
      info.encoding = bytes == 1   ? WavEncoding::PcmU8
                      : bytes == 2 ? WavEncoding::PcmS16
                      : bytes == 3 ? WavEncoding::PcmS24
                                   : WavEncoding::PcmS32;
      break;
    case kTagFloat:
      if (f.bits == 32) {
        info.encoding = WavEncoding::Float32;
      } else if (f.bits == 64) {
        info.encoding = WavEncoding::Float64;
      } else {
        unsupported("IEEE float WAV with " + std::to_string(f.bits) + " bits per sample is not supported");
      }
      bytes = f.bits / 8u;
      break;
    case kTagALaw:
    case kTagMuLaw:
      info.encoding = f.tag == kTagALaw ? WavEncoding::ALaw : WavEncoding::MuLaw;
      bytes = 1;
      bits = 8;
      break;
    default:
      unsupported_tag(f.tag, f.extensible);
  }
  const std::size_t frame_bytes = bytes * static_cast<std::size_t>(f.channels);  // <= 8192
  std::size_t align = f.block_align;
  if (align == 0) align = frame_bytes;
  if (align < frame_bytes)
    corrupt("WAV block align " + std::to_string(f.block_align) + " is smaller than " + std::to_string(f.channels) +
            " channels x " + std::to_string(bytes) + " bytes per sample");
  info.sample_rate = static_cast<int>(f.rate);
  info.channels = f.channels;
  info.bits_per_sample = bits;
  info.valid_bits = f.valid_bits;
  info.block_align = static_cast<int>(align);
  info.channel_mask = f.channel_mask;
  info.extensible = f.extensible;
  info.format_tag = f.tag;
}

// ---- ds64 ---------------------------------------------------------------------------------

struct Ds64 {
  bool present = false;
  std::uint64_t riff_size = 0, data_size = 0, sample_count = 0;
  struct Entry {
    unsigned char id[4];
    std::uint64_t size;
  };
  std::vector<Entry> table;
};

constexpr std::uint32_t kMaxDs64Table = 64;

Ds64 parse_ds64(ByteSource& src, std::uint64_t body, std::uint64_t size) {
  if (size < 24) corrupt("ds64 chunk is " + std::to_string(size) + " bytes, at least 24 are needed");
  unsigned char b[28];
  const std::size_t want = size >= 28 ? 28 : 24;
  if (src.read(body, b, want) < want) truncated("the file ends inside the ds64 chunk");
  Ds64 d;
  d.present = true;
  d.riff_size = le64(b);
  d.data_size = le64(b + 8);
  d.sample_count = le64(b + 16);
  if (want == 28) {
    std::uint32_t n = le32(b + 24);
    const std::uint64_t room = (size - 28) / 12;
    n = static_cast<std::uint32_t>(std::min<std::uint64_t>({n, room, kMaxDs64Table}));
    if (n > 0) {
      std::vector<unsigned char> t(static_cast<std::size_t>(n) * 12);
      const std::size_t got = src.read(body + 28, t.data(), t.size());
      for (std::size_t i = 0; i + 12 <= got; i += 12) {
        Ds64::Entry e;
        std::memcpy(e.id, &t[i], 4);
        e.size = le64(&t[i + 4]);
        d.table.push_back(e);
      }
    }
  }
  return d;
}

// Chunk ids that may legitimately follow an empty data chunk.
bool known_trailing_id(const unsigned char* p) {
  static const char* const ids[] = {"LIST", "id3 ", "ID3 ", "cue ", "smpl", "inst", "JUNK", "junk", "fact",
                                    "bext", "PEAK", "iXML", "axml", "acid", "_PMX", "cart", "umid", "PAD ",
                                    "FLLR", "fmt ", "data", "labl", "note", "ltxt", "plst", "chna"};
  for (const char* id : ids)
    if (is_id(p, id)) return true;
  return false;
}

// ---- sample decoding ----------------------------------------------------------------------

struct U8 {
  static constexpr std::size_t bytes = 1;
  static float load(const unsigned char* p) { return static_cast<float>(static_cast<int>(p[0]) - 128) * (1.0f / 128.0f); }
};
struct S16 {
  static constexpr std::size_t bytes = 2;
  static float load(const unsigned char* p) {
    std::int16_t v;
    std::memcpy(&v, p, 2);  // little-endian hosts only (checked at the top of this file)
    return static_cast<float>(v) * (1.0f / 32768.0f);
  }
};
struct S24 {
  static constexpr std::size_t bytes = 3;
  static float load(const unsigned char* p) {
    const std::uint32_t u = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                            (static_cast<std::uint32_t>(p[2]) << 16);
    const std::int32_t v = static_cast<std::int32_t>(u ^ 0x800000u) - 0x800000;  // sign-extend 24 → 32
    return static_cast<float>(v) * (1.0f / 8388608.0f);
  }
};
struct S32 {
  static constexpr std::size_t bytes = 4;
  static float load(const unsigned char* p) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return static_cast<float>(v) * (1.0f / 2147483648.0f);
  }
};
struct F32 {
  static constexpr std::size_t bytes = 4;
  static float load(const unsigned char* p) {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
};
struct F64 {
  static constexpr std::size_t bytes = 8;
  static float load(const unsigned char* p) {
    double v;
    std::memcpy(&v, p, 8);
    return static_cast<float>(v);
  }
};

// G.711 (ITU-T) expansion to 16-bit linear, from the format's definition.
// mu-law: the byte is stored inverted; after inverting, bit 7 set means negative, bits 4-6
// are the exponent, bits 0-3 the mantissa, and |x| = (((mantissa << 3) + 132) << exponent) - 132.
constexpr int mulaw_linear(unsigned byte) {
  const unsigned u = ~byte & 0xFFu;
  const int exponent = static_cast<int>((u >> 4) & 7u);
  const int mantissa = static_cast<int>(u & 15u);
  const int magnitude = (((mantissa << 3) + 132) << exponent) - 132;
  return (u & 0x80u) ? -magnitude : magnitude;
}
// A-law: even bits inverted (xor 0x55); sign bit 7 set = positive, exponent bits 4-6,
// mantissa bits 0-3; |x| = mantissa*16 + 8 for exponent 0, (mantissa*16 + 264) << (exponent-1) otherwise.
constexpr int alaw_linear(unsigned byte) {
  const unsigned a = (byte ^ 0x55u) & 0xFFu;
  const int exponent = static_cast<int>((a >> 4) & 7u);
  const int mantissa = static_cast<int>(a & 15u);
  const int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 264) << (exponent - 1);
  return (a & 0x80u) ? magnitude : -magnitude;
}

struct G711Tables {
  float mu[256];
  float a[256];
  G711Tables() {
    for (unsigned i = 0; i < 256; ++i) {
      mu[i] = static_cast<float>(mulaw_linear(i)) * (1.0f / 32768.0f);
      a[i] = static_cast<float>(alaw_linear(i)) * (1.0f / 32768.0f);
    }
  }
};
const G711Tables& g711() {
  static const G711Tables t;
  return t;
}
static_assert(mulaw_linear(0x00) == -32124 && mulaw_linear(0x80) == 32124 && mulaw_linear(0xFF) == 0 &&
                  mulaw_linear(0x7F) == 0,
              "mu-law expansion");
static_assert(alaw_linear(0xD5) == 8 && alaw_linear(0x55) == -8 && alaw_linear(0x80) == 5504 &&
                  alaw_linear(0x2A) == -32256,
              "A-law expansion");

struct MuLaw {
  static constexpr std::size_t bytes = 1;
  const float* table;
  float load(const unsigned char* p) const { return table[p[0]]; }
};
struct ALaw {
  static constexpr std::size_t bytes = 1;
  const float* table;
  float load(const unsigned char* p) const { return table[p[0]]; }
};

// numpy's float32 pairwise summation (numpy/core/src/umath/loops_utils.h.src), reproduced
// from its documented order so Mean matches x.mean(axis=1) bit for bit.
float pairwise_sum(const float* a, std::size_t n) {
  if (n < 8) {
    float res = 0.0f;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    float r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

// The frame stride, known at compile time for packed mono and stereo (so the loops below
// become constant-stride loads the compiler vectorises) or at run time otherwise.
template <std::size_t S>
struct FixedStride {
  std::size_t operator()() const { return S; }
};
struct RuntimeStride {
  std::size_t s;
  std::size_t operator()() const { return s; }
};

template <class L, class St>
void decode_all(const L& l, const unsigned char* __restrict p, std::size_t frames, St stride, int channels,
                float* const* out, std::size_t off) {
  const std::size_t st = stride();
  if (channels == 1) {
    float* __restrict o = out[0] + off;
    for (std::size_t i = 0; i < frames; ++i) o[i] = l.load(p + i * st);
  } else if (channels == 2) {
    float* __restrict o0 = out[0] + off;
    float* __restrict o1 = out[1] + off;
    for (std::size_t i = 0; i < frames; ++i) {
      o0[i] = l.load(p + i * st);
      o1[i] = l.load(p + i * st + L::bytes);
    }
  } else {
    for (int c = 0; c < channels; ++c) {
      float* __restrict o = out[c] + off;
      const unsigned char* __restrict q = p + static_cast<std::size_t>(c) * L::bytes;
      for (std::size_t i = 0; i < frames; ++i) o[i] = l.load(q + i * st);
    }
  }
}

template <class L, class St>
void decode_select(const L& l, const unsigned char* __restrict p, std::size_t frames, St stride, int channel,
                   float* __restrict o) {
  const std::size_t st = stride();
  const unsigned char* __restrict q = p + static_cast<std::size_t>(channel) * L::bytes;
  for (std::size_t i = 0; i < frames; ++i) o[i] = l.load(q + i * st);
}

template <class L, class St>
void decode_mean(const L& l, const unsigned char* __restrict p, std::size_t frames, St stride, int channels,
                 float* __restrict o) {
  const std::size_t st = stride();
  const float n_ch = static_cast<float>(channels);  // divided, not multiplied: numpy divides
  if (channels == 1) {
    for (std::size_t i = 0; i < frames; ++i) o[i] = (0.0f + l.load(p + i * st)) / n_ch;
  } else if (channels == 2) {
    for (std::size_t i = 0; i < frames; ++i) {
      const unsigned char* q = p + i * st;
      o[i] = (0.0f + (l.load(q) + l.load(q + L::bytes))) * 0.5f;  // x / 2 == x * 0.5 exactly
    }
  } else if (channels < 8) {
    for (std::size_t i = 0; i < frames; ++i) {
      const unsigned char* q = p + i * st;
      float s = l.load(q);
      for (int c = 1; c < channels; ++c) s += l.load(q + static_cast<std::size_t>(c) * L::bytes);
      o[i] = (0.0f + s) / n_ch;
    }
  } else {
    float tmp[kMaxChannels];
    for (std::size_t i = 0; i < frames; ++i) {
      const unsigned char* q = p + i * st;
      for (int c = 0; c < channels; ++c) tmp[c] = l.load(q + static_cast<std::size_t>(c) * L::bytes);
      o[i] = (0.0f + pairwise_sum(tmp, static_cast<std::size_t>(channels))) / n_ch;
    }
  }
}

template <class L, class St>
void decode_mix_stride(const L& l, St st, const WavInfo& info, const unsigned char* p, std::size_t frames,
                       ChannelMix mix, int channel, float* const* out, std::size_t off) {
  switch (mix) {
    case ChannelMix::All: decode_all(l, p, frames, st, info.channels, out, off); break;
    case ChannelMix::Mean: decode_mean(l, p, frames, st, info.channels, out[0] + off); break;
    case ChannelMix::Select: decode_select(l, p, frames, st, channel, out[0] + off); break;
  }
}

template <class L>
void decode_mix(const L& l, const WavInfo& info, const unsigned char* p, std::size_t frames, ChannelMix mix,
                int channel, float* const* out, std::size_t off) {
  const std::size_t stride = static_cast<std::size_t>(info.block_align);
  if (info.channels == 1 && stride == L::bytes) {
    decode_mix_stride(l, FixedStride<L::bytes>{}, info, p, frames, mix, channel, out, off);
  } else if (info.channels == 2 && stride == 2 * L::bytes) {
    decode_mix_stride(l, FixedStride<2 * L::bytes>{}, info, p, frames, mix, channel, out, off);
  } else {
    decode_mix_stride(l, RuntimeStride{stride}, info, p, frames, mix, channel, out, off);
  }
}

void decode_unchecked(const WavInfo& info, const unsigned char* p, std::size_t frames, ChannelMix mix, int channel,
                      float* const* out, std::size_t off) {
  switch (info.encoding) {
    case WavEncoding::PcmU8: decode_mix(U8{}, info, p, frames, mix, channel, out, off); break;
    case WavEncoding::PcmS16: decode_mix(S16{}, info, p, frames, mix, channel, out, off); break;
    case WavEncoding::PcmS24: decode_mix(S24{}, info, p, frames, mix, channel, out, off); break;
    case WavEncoding::PcmS32: decode_mix(S32{}, info, p, frames, mix, channel, out, off); break;
    case WavEncoding::Float32: decode_mix(F32{}, info, p, frames, mix, channel, out, off); break;
    case WavEncoding::Float64: decode_mix(F64{}, info, p, frames, mix, channel, out, off); break;
    case WavEncoding::MuLaw: decode_mix(MuLaw{g711().mu}, info, p, frames, mix, channel, out, off); break;
    case WavEncoding::ALaw: decode_mix(ALaw{g711().a}, info, p, frames, mix, channel, out, off); break;
  }
}

// Re-checks what protects memory when a caller hands us a WavInfo and output pointers
// (the pointers only when something will be written).
void check_layout(const WavInfo& info, ChannelMix mix, int channel, float* const* out, bool writes) {
  const std::size_t bytes = sample_bytes(info.encoding);
  if (bytes == 0) invalid("unknown WAV encoding " + std::to_string(static_cast<int>(info.encoding)));
  if (info.channels < 1 || info.channels > kMaxChannels)
    invalid("WavInfo has " + std::to_string(info.channels) + " channels");
  if (info.block_align < 0 || static_cast<std::size_t>(info.block_align) < bytes * static_cast<std::size_t>(info.channels))
    invalid("WavInfo block_align " + std::to_string(info.block_align) + " is smaller than a frame");
  if (mix != ChannelMix::All && mix != ChannelMix::Mean && mix != ChannelMix::Select)
    invalid("unknown channel mix " + std::to_string(static_cast<int>(mix)));
  if (mix == ChannelMix::Select && (channel < 0 || channel >= info.channels))
    invalid("channel " + std::to_string(channel) + " is out of range for a " + std::to_string(info.channels) +
            "-channel file");
  if (!writes) return;
  if (out == nullptr) invalid("no output buffers");
  const int outs = mix == ChannelMix::All ? info.channels : 1;
  for (int c = 0; c < outs; ++c)
    if (out[c] == nullptr) invalid("output buffer " + std::to_string(c) + " is null");
}

}  // namespace

std::string WavInfo::subtype() const {
  switch (encoding) {
    case WavEncoding::PcmU8: return "PCM_U8";
    case WavEncoding::PcmS16: return "PCM_16";
    case WavEncoding::PcmS24: return "PCM_24";
    case WavEncoding::PcmS32: return "PCM_32";
    case WavEncoding::Float32: return "FLOAT";
    case WavEncoding::Float64: return "DOUBLE";
    case WavEncoding::MuLaw: return "ULAW";
    case WavEncoding::ALaw: return "ALAW";
  }
  return "UNKNOWN";
}

WavInfo parse_wav(ByteSource& src) {
  const std::uint64_t size = src.size();
  if (size == 0) throw CoreError("EMPTY", "the file is empty (0 bytes)");

  unsigned char h[12] = {};
  const std::size_t got = src.read(0, h, 12);
  static const char* const magics[] = {"RIFF", "RF64", "BW64"};
  if (got < 12) {
    // A prefix of "RIFF....WAVE" (any size bytes) is a cut file; anything else is not a WAV.
    bool prefix = false;
    for (const char* m : magics) prefix = prefix || std::memcmp(h, m, std::min<std::size_t>(got, 4)) == 0;
    if (got > 8) prefix = prefix && std::memcmp(h + 8, "WAVE", got - 8) == 0;
    if (prefix) truncated("the file ends inside the RIFF header (" + std::to_string(got) + " bytes)");
    corrupt("not a WAV file: " + std::to_string(got) + " bytes, too short for a RIFF header");
  }
  if (is_id(h, "RIFX") && is_id(h + 8, "WAVE")) unsupported("big-endian WAV (RIFX) is not supported");
  const bool rf64 = is_id(h, "RF64") || is_id(h, "BW64");
  if (!(is_id(h, "RIFF") || rf64) || !is_id(h + 8, "WAVE"))
    corrupt("not a WAV file: it starts with '" + id_text(h) + "' ... '" + id_text(h + 8) + "', not 'RIFF' ... 'WAVE'");

  WavInfo info;
  info.rf64 = rf64;
  Ds64 ds;
  bool have_fmt = false, have_data = false, cut = false, data_to_end = false;
  std::uint64_t data_offset = 0, data_size = 0;
  std::uint64_t pos = 12;
  const std::uint32_t riff32 = le32(h + 4);

  for (int chunks = 0;; ++chunks) {
    if (have_fmt && have_data) break;
    if (pos >= size) break;  // clean end (or past it: cut was set when we jumped)
    if (chunks >= kMaxChunks)
      corrupt("more than " + std::to_string(kMaxChunks) + " chunks before the audio data");
    unsigned char ch[8];
    if (src.read(pos, ch, 8) < 8) {
      cut = true;
      break;
    }
    const std::uint32_t size32 = le32(ch + 4);
    std::uint64_t csize = size32;
    const std::uint64_t body = pos + 8;  // pos < size <= 2^64-1 and a full header was read: no overflow
    if (rf64 && ds.present && size32 == 0xFFFFFFFFu && !is_id(ch, "data")) {
      for (const Ds64::Entry& e : ds.table)
        if (std::memcmp(e.id, ch, 4) == 0) {
          csize = e.size;
          break;
        }
    }

    if (is_id(ch, "ds64") && rf64 && !ds.present && !have_data) {
      ds = parse_ds64(src, body, csize);
    } else if (is_id(ch, "fmt ") && !have_fmt) {
      unsigned char fb[40] = {};
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(csize, 40));
      const std::size_t fgot = src.read(body, fb, want);
      apply_fmt(parse_fmt(fb, fgot, csize), info);
      have_fmt = true;
    } else if (is_id(ch, "data") && !have_data) {
      have_data = true;
      data_offset = body;
      std::uint64_t declared = size32;
      if (rf64 && size32 == 0xFFFFFFFFu && ds.present) declared = ds.data_size;
      if (declared == 0) {
        unsigned char next[4];
        data_to_end = !(src.read(body, next, 4) == 4 && known_trailing_id(next));
      } else if (declared == 0xFFFFFFFFu || declared == std::numeric_limits<std::uint64_t>::max()) {
        data_to_end = true;
      }
      data_size = declared;
      if (have_fmt) break;
      if (data_to_end) break;  // nothing can follow a chunk that runs to the end of the file
      csize = declared;
    }

    // Next chunk: body + size, padded to even.
    std::uint64_t next = 0;
    if (!add_ok(body, csize, &next)) {
      cut = true;
      break;
    }
    if (csize & 1u) {
      std::uint64_t padded = 0;
      if (add_ok(next, 1, &padded)) {
        unsigned char peek[5];
        if (src.read(next, peek, 5) == 5 && !plausible_id(peek + 1) && plausible_id(peek)) {
          // the writer left out the pad byte: follow it
        } else {
          next = padded;
        }
      } else {
        cut = true;
        break;
      }
    }
    if (next > size) {
      cut = true;
      break;
    }
    pos = next;
  }

  if (!have_fmt || !have_data) {
    std::uint64_t riff_end = 0;
    const std::uint64_t riff_size = rf64 ? (ds.present ? ds.riff_size : 0) : riff32;
    const bool riff_known = riff_size != 0 && (rf64 || riff_size != 0xFFFFFFFFu) && add_ok(riff_size, 8, &riff_end);
    if (riff_known && riff_end > size) cut = true;
    if (have_data && !have_fmt)
      corrupt(data_to_end ? "data chunk before fmt chunk (the data runs to the end of the file)"
                          : "no fmt chunk before or after the data chunk");
    if (cut) truncated("the file ends before the data chunk starts");
    corrupt(have_fmt ? "no data chunk" : "no fmt chunk");
  }

  const std::uint64_t available = size - std::min(size, data_offset);
  std::uint64_t bytes = available;
  if (!data_to_end) {
    if (data_size > available) {
      info.truncated = true;
    } else {
      bytes = data_size;
    }
  }
  info.data_offset = data_offset;
  info.num_frames = bytes / static_cast<std::uint64_t>(info.block_align);
  return info;
}

void decode_wav_block(const WavInfo& info, const unsigned char* bytes, std::size_t frames, ChannelMix mix,
                      int channel, float* const* out, std::size_t out_offset) {
  check_layout(info, mix, channel, out, frames > 0);
  if (frames == 0) return;
  if (bytes == nullptr) invalid("no input bytes");
  decode_unchecked(info, bytes, frames, mix, channel, out, out_offset);
}

std::uint64_t read_wav_frames(ByteSource& src, const WavInfo& info, std::uint64_t start, std::uint64_t count,
                              ChannelMix mix, int channel, float* const* out) {
  const bool writes = start < info.num_frames && count > 0;
  check_layout(info, mix, channel, out, writes);
  if (!writes) return 0;
  const std::uint64_t n = std::min(count, info.num_frames - start);
  const std::uint64_t stride = static_cast<std::uint64_t>(info.block_align);
  std::uint64_t first = 0, span = 0;
  if (start > std::numeric_limits<std::uint64_t>::max() / stride ||
      !add_ok(info.data_offset, start * stride, &first) || n > std::numeric_limits<std::uint64_t>::max() / stride ||
      !add_ok(first, n * stride, &span))
    invalid("frame span is outside any addressable file");

  const std::size_t per_block = static_cast<std::size_t>(
      std::min<std::uint64_t>(n, std::max<std::uint64_t>(1, kBlockBytes / stride)));
  // The thread's read buffer, kept from call to call (at most kBlockBytes plus one frame): no fresh pages per read.
  thread_local std::vector<unsigned char> buf;
  if (buf.size() < per_block * static_cast<std::size_t>(stride)) buf.resize(per_block * static_cast<std::size_t>(stride));
  std::uint64_t done = 0;
  while (done < n) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(per_block, n - done));
    const std::size_t got = src.read(first + done * stride, buf.data(), want * static_cast<std::size_t>(stride));
    const std::size_t frames = got / static_cast<std::size_t>(stride);
    decode_unchecked(info, buf.data(), frames, mix, channel, out, static_cast<std::size_t>(done));
    done += frames;
    if (frames < want) break;  // the source holds fewer bytes than the header promised
  }
  return done;
}

}  // namespace audiomill
