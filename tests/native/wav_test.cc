// WAV reader tests: every encoding with exact values (the G.711 tables and the awkward
// scalings were read back through python soundfile / libsndfile 1.2.0), extensible and
// RF64/BW64, chunk-walking corner cases, every error code, channel mixes and spans that
// cross read_wav_frames' block boundaries. The WAV bytes are built in memory here.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <unistd.h>
#include <vector>

#include "audio/byte_source.h"
#include "audio/wav.h"
#include "check.h"
#include "util/error.h"

using namespace audiomill;
using amtest::check;

namespace {

using Bytes = std::vector<unsigned char>;

// ---- a small WAV writer -------------------------------------------------------------------

void put_id(Bytes& b, const char* id) { b.insert(b.end(), id, id + 4); }
void put16(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 2; ++i) b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}
void put32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}
void put64(Bytes& b, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}
void append(Bytes& a, const Bytes& b) { a.insert(a.end(), b.begin(), b.end()); }

constexpr std::uint32_t kNoOverride = 0xFFFFFFFEu;

// A chunk: id, 32-bit size (the body's, unless overridden), body, pad byte if odd.
Bytes chunk(const char* id, const Bytes& body, std::uint32_t size = kNoOverride, bool pad = true) {
  Bytes b;
  put_id(b, id);
  put32(b, size == kNoOverride ? static_cast<std::uint32_t>(body.size()) : size);
  append(b, body);
  if (pad && (body.size() & 1)) b.push_back(0);
  return b;
}

Bytes fmt_body(std::uint16_t tag, int channels, std::uint32_t rate, int bits, int align = -1) {
  if (align < 0) align = channels * ((bits + 7) / 8);
  Bytes b;
  put16(b, tag);
  put16(b, static_cast<std::uint32_t>(channels));
  put32(b, rate);
  put32(b, rate * static_cast<std::uint32_t>(align));
  put16(b, static_cast<std::uint32_t>(align));
  put16(b, static_cast<std::uint32_t>(bits));
  return b;
}

Bytes fmt_ext_body(std::uint16_t sub, int channels, std::uint32_t rate, int bits, int valid, std::uint32_t mask) {
  Bytes b = fmt_body(0xFFFE, channels, rate, bits);
  put16(b, 22);
  put16(b, static_cast<std::uint32_t>(valid));
  put32(b, mask);
  put16(b, sub);
  const unsigned char rest[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
  b.insert(b.end(), rest, rest + 14);
  return b;
}

// "RIFF" <size> "WAVE" + chunks; riff size from the content unless overridden.
Bytes riff(const std::vector<Bytes>& chunks, const char* magic = "RIFF", std::uint32_t size = kNoOverride) {
  Bytes body;
  put_id(body, "WAVE");
  for (const Bytes& c : chunks) append(body, c);
  Bytes b;
  put_id(b, magic);
  put32(b, size == kNoOverride ? static_cast<std::uint32_t>(body.size()) : size);
  append(b, body);
  return b;
}

Bytes simple_wav(std::uint16_t tag, int channels, int bits, const Bytes& data, std::uint32_t rate = 16000) {
  return riff({chunk("fmt ", fmt_body(tag, channels, rate, bits)), chunk("data", data)});
}

Bytes s16_samples(const std::vector<int>& v) {
  Bytes b;
  for (int x : v) put16(b, static_cast<std::uint32_t>(x));
  return b;
}
Bytes s24_samples(const std::vector<int>& v) {
  Bytes b;
  for (int x : v)
    for (int i = 0; i < 3; ++i) b.push_back(static_cast<unsigned char>(static_cast<std::uint32_t>(x) >> (8 * i)));
  return b;
}
Bytes s32_samples(const std::vector<std::int64_t> v) {
  Bytes b;
  for (std::int64_t x : v) put32(b, static_cast<std::uint32_t>(x));
  return b;
}
Bytes f32_samples(const std::vector<float>& v) {
  Bytes b;
  for (float x : v) {
    std::uint32_t u;
    std::memcpy(&u, &x, 4);
    put32(b, u);
  }
  return b;
}
Bytes f64_samples(const std::vector<double>& v) {
  Bytes b;
  for (double x : v) {
    std::uint64_t u;
    std::memcpy(&u, &x, 8);
    put64(b, u);
  }
  return b;
}

// ---- reading helpers ----------------------------------------------------------------------

WavInfo info_of(const Bytes& b) {
  MemorySource src(b.data(), b.size());
  return parse_wav(src);
}

// All channels, planar.
std::vector<std::vector<float>> read_all(const Bytes& b, WavInfo* info_out = nullptr) {
  MemorySource src(b.data(), b.size());
  const WavInfo info = parse_wav(src);
  if (info_out) *info_out = info;
  std::vector<std::vector<float>> ch(static_cast<std::size_t>(info.channels),
                                     std::vector<float>(static_cast<std::size_t>(info.num_frames), -99.0f));
  std::vector<float*> ptrs;
  for (auto& c : ch) ptrs.push_back(c.data());
  const std::uint64_t n = read_wav_frames(src, info, 0, info.num_frames, ChannelMix::All, 0, ptrs.data());
  check(n == info.num_frames, "read_all reads every frame");
  return ch;
}

std::vector<float> read_mix(const Bytes& b, ChannelMix mix, int channel, std::uint64_t start = 0,
                            std::uint64_t count = std::numeric_limits<std::uint64_t>::max()) {
  MemorySource src(b.data(), b.size());
  const WavInfo info = parse_wav(src);
  std::vector<float> out(static_cast<std::size_t>(info.num_frames) + 1, -99.0f);
  float* ptr = out.data();
  const std::uint64_t n = read_wav_frames(src, info, start, count, mix, channel, &ptr);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Runs f and returns the CoreError code it throws ("" if none, "other" for other exceptions).
template <class F>
std::string code_of(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const CoreError& e) {
    if (message) *message = e.what();
    return e.code();
  } catch (...) {
    return "other";
  }
  return "";
}

std::string parse_code(const Bytes& b, std::string* message = nullptr) {
  return code_of([&] { info_of(b); }, message);
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// ---- reference tables (libsndfile 1.2.0 via soundfile, sample * 32768) ----------------------

const int kMuLawRef[256] = {
    -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956, -23932, -22908, -21884, -20860, -19836,
    -18812, -17788, -16764, -15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412, -11900, -11388,
    -10876, -10364, -9852,  -9340,  -8828,  -8316,  -7932,  -7676,  -7420,  -7164,  -6908,  -6652,  -6396,
    -6140,  -5884,  -5628,  -5372,  -5116,  -4860,  -4604,  -4348,  -4092,  -3900,  -3772,  -3644,  -3516,
    -3388,  -3260,  -3132,  -3004,  -2876,  -2748,  -2620,  -2492,  -2364,  -2236,  -2108,  -1980,  -1884,
    -1820,  -1756,  -1692,  -1628,  -1564,  -1500,  -1436,  -1372,  -1308,  -1244,  -1180,  -1116,  -1052,
    -988,   -924,   -876,   -844,   -812,   -780,   -748,   -716,   -684,   -652,   -620,   -588,   -556,
    -524,   -492,   -460,   -428,   -396,   -372,   -356,   -340,   -324,   -308,   -292,   -276,   -260,
    -244,   -228,   -212,   -196,   -180,   -164,   -148,   -132,   -120,   -112,   -104,   -96,    -88,
    -80,    -72,    -64,    -56,    -48,    -40,    -32,    -24,    -16,    -8,     0,      32124,  31100,
    30076,  29052,  28028,  27004,  25980,  24956,  23932,  22908,  21884,  20860,  19836,  18812,  17788,
    16764,  15996,  15484,  14972,  14460,  13948,  13436,  12924,  12412,  11900,  11388,  10876,  10364,
    9852,   9340,   8828,   8316,   7932,   7676,   7420,   7164,   6908,   6652,   6396,   6140,   5884,
    5628,   5372,   5116,   4860,   4604,   4348,   4092,   3900,   3772,   3644,   3516,   3388,   3260,
    3132,   3004,   2876,   2748,   2620,   2492,   2364,   2236,   2108,   1980,   1884,   1820,   1756,
    1692,   1628,   1564,   1500,   1436,   1372,   1308,   1244,   1180,   1116,   1052,   988,    924,
    876,    844,    812,    780,    748,    716,    684,    652,    620,    588,    556,    524,    492,
    460,    428,    396,    372,    356,    340,    324,    308,    292,    276,    260,    244,    228,
    212,    196,    180,    164,    148,    132,    120,    112,    104,    96,     88,     80,     72,
    64,     56,     48,     40,     32,     24,     16,     8,      0};

const int kALawRef[256] = {
    -5504,  -5248,  -6016,  -5760,  -4480,  -4224,  -4992,  -4736,  -7552,  -7296,  -8064,  -7808,  -6528,
    -6272,  -7040,  -6784,  -2752,  -2624,  -3008,  -2880,  -2240,  -2112,  -2496,  -2368,  -3776,  -3648,
    -4032,  -3904,  -3264,  -3136,  -3520,  -3392,  -22016, -20992, -24064, -23040, -17920, -16896, -19968,
    -18944, -30208, -29184, -32256, -31232, -26112, -25088, -28160, -27136, -11008, -10496, -12032, -11520,
    -8960,  -8448,  -9984,  -9472,  -15104, -14592, -16128, -15616, -13056, -12544, -14080, -13568, -344,
    -328,   -376,   -360,   -280,   -264,   -312,   -296,   -472,   -456,   -504,   -488,   -408,   -392,
    -440,   -424,   -88,    -72,    -120,   -104,   -24,    -8,     -56,    -40,    -216,   -200,   -248,
    -232,   -152,   -136,   -184,   -168,   -1376,  -1312,  -1504,  -1440,  -1120,  -1056,  -1248,  -1184,
    -1888,  -1824,  -2016,  -1952,  -1632,  -1568,  -1760,  -1696,  -688,   -656,   -752,   -720,   -560,
    -528,   -624,   -592,   -944,   -912,   -1008,  -976,   -816,   -784,   -880,   -848,   5504,   5248,
    6016,   5760,   4480,   4224,   4992,   4736,   7552,   7296,   8064,   7808,   6528,   6272,   7040,
    6784,   2752,   2624,   3008,   2880,   2240,   2112,   2496,   2368,   3776,   3648,   4032,   3904,
    3264,   3136,   3520,   3392,   22016,  20992,  24064,  23040,  17920,  16896,  19968,  18944,  30208,
    29184,  32256,  31232,  26112,  25088,  28160,  27136,  11008,  10496,  12032,  11520,  8960,   8448,
    9984,   9472,   15104,  14592,  16128,  15616,  13056,  12544,  14080,  13568,  344,    328,    376,
    360,    280,    264,    312,    296,    472,    456,    504,    488,    408,    392,    440,    424,
    88,     72,     120,    104,    24,     8,      56,     40,     216,    200,    248,    232,    152,
    136,    184,    168,    1376,   1312,   1504,   1440,   1120,   1056,   1248,   1184,   1888,   1824,
    2016,   1952,   1632,   1568,   1760,   1696,   688,    656,    752,    720,    560,    528,    624,
    592,    944,    912,    1008,   976,    816,    784,    880,    848};

// ---- the tests ------------------------------------------------------------------------------

void test_pcm_values() {
  {  // s16
    WavInfo info;
    const auto ch = read_all(simple_wav(1, 1, 16, s16_samples({-32768, 32767, 1, -1, 0})), &info);
    check(info.encoding == WavEncoding::PcmS16 && info.subtype() == "PCM_16", "s16: encoding and subtype");
    check(info.sample_rate == 16000 && info.channels == 1 && info.bits_per_sample == 16 && info.block_align == 2,
          "s16: rate, channels, bits, block align");
    check(info.data_offset == 44 && info.num_frames == 5 && !info.truncated && !info.rf64 && !info.extensible,
          "s16: data offset 44, 5 frames");
    check(info.format_tag == 1 && info.valid_bits == 16 && info.channel_mask == 0, "s16: tag, valid bits, mask");
    check(ch[0][0] == -1.0f && ch[0][1] == 32767.0f / 32768.0f && ch[0][2] == std::ldexp(1.0f, -15) &&
              ch[0][3] == -std::ldexp(1.0f, -15) && ch[0][4] == 0.0f,
          "s16: -32768 -> -1, 32767 -> 32767/32768, +-1 -> +-2^-15");
  }
  {  // u8
    WavInfo info;
    const Bytes data = {0, 128, 255, 1};
    const auto ch = read_all(simple_wav(1, 1, 8, data), &info);
    check(info.encoding == WavEncoding::PcmU8 && info.subtype() == "PCM_U8", "u8: encoding and subtype");
    check(ch[0][0] == -1.0f && ch[0][1] == 0.0f && ch[0][2] == 127.0f / 128.0f && ch[0][3] == -127.0f / 128.0f,
          "u8: 0 -> -1, 128 -> 0, 255 -> 127/128, 1 -> -127/128");
  }
  {  // s24
    WavInfo info;
    const auto ch = read_all(simple_wav(1, 1, 24, s24_samples({-8388608, 8388607, 1, -1, 0x123456})), &info);
    check(info.encoding == WavEncoding::PcmS24 && info.subtype() == "PCM_24" && info.block_align == 3,
          "s24: encoding, subtype, block align");
    check(ch[0][0] == -1.0f && ch[0][1] == 8388607.0f / 8388608.0f && ch[0][2] == std::ldexp(1.0f, -23) &&
              ch[0][3] == -std::ldexp(1.0f, -23) && ch[0][4] == 0x123456 / 8388608.0f,
          "s24: min -> -1, max, +-1 -> +-2^-23, 0x123456");
  }
  {  // s32: float(double(v) / 2^31)
    WavInfo info;
    const std::vector<std::int64_t> v = {-2147483648LL, 2147483647LL, 123456789, -1, 16777217, 2147483520LL};
    const auto ch = read_all(simple_wav(1, 1, 32, s32_samples(v)), &info);
    check(info.encoding == WavEncoding::PcmS32 && info.subtype() == "PCM_32", "s32: encoding and subtype");
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i)
      ok = ok && ch[0][i] == static_cast<float>(static_cast<double>(v[i]) / 2147483648.0);
    check(ok, "s32: every value equals float(double(v) / 2^31)");
    check(ch[0][0] == -1.0f && ch[0][1] == 1.0f && ch[0][2] == 0.057489048689603806f &&
              ch[0][3] == -std::ldexp(1.0f, -31),
          "s32: soundfile's values for min, max (1.0f), 123456789, -1");
  }
  {  // 12-bit and 20-bit: container bytes decide, values are not shifted (libsndfile)
    WavInfo info;
    auto ch = read_all(simple_wav(1, 1, 12, s16_samples({16, -16})), &info);
    check(info.encoding == WavEncoding::PcmS16 && info.bits_per_sample == 16 && info.valid_bits == 12 &&
              ch[0][0] == 16.0f / 32768.0f && ch[0][1] == -16.0f / 32768.0f,
          "12-bit PCM decodes as s16 with valid_bits 12");
    ch = read_all(simple_wav(1, 1, 20, s24_samples({-8388608, 4194304})), &info);
    check(info.encoding == WavEncoding::PcmS24 && info.valid_bits == 20 && ch[0][0] == -1.0f && ch[0][1] == 0.5f,
          "20-bit PCM decodes as s24");
  }
}

void test_float_values() {
  {
    WavInfo info;
    const float inf = std::numeric_limits<float>::infinity();
    const auto ch = read_all(simple_wav(3, 1, 32, f32_samples({0.25f, -1.5f, inf, 1e-45f, -0.0f,
                                                                std::numeric_limits<float>::quiet_NaN()})),
                             &info);
    check(info.encoding == WavEncoding::Float32 && info.subtype() == "FLOAT", "float32: encoding and subtype");
    check(ch[0][0] == 0.25f && ch[0][1] == -1.5f && ch[0][2] == inf && ch[0][3] == 1e-45f &&
              same_bits(ch[0][4], -0.0f) && std::isnan(ch[0][5]),
          "float32 passes through (inf, denormal, -0, NaN)");
  }
  {
    WavInfo info;
    const auto ch = read_all(simple_wav(3, 2, 64, f64_samples({0.1, 1e-40, 3.0, -1e300, 1e300, -0.5})), &info);
    check(info.encoding == WavEncoding::Float64 && info.subtype() == "DOUBLE" && info.block_align == 16,
          "float64: encoding, subtype, block align");
    const float inf = std::numeric_limits<float>::infinity();
    check(ch[0][0] == static_cast<float>(0.1) && ch[1][0] == static_cast<float>(1e-40) && ch[0][1] == 3.0f &&
              ch[1][1] == -inf && ch[0][2] == inf && ch[1][2] == -0.5f,
          "float64: rounded to float, +-1e300 -> +-inf");
  }
}

void test_g711() {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<unsigned char>(i);
  WavInfo info;
  auto ch = read_all(simple_wav(7, 1, 8, all), &info);
  check(info.encoding == WavEncoding::MuLaw && info.subtype() == "ULAW" && info.num_frames == 256,
        "mu-law: encoding and subtype");
  bool ok = true;
  for (int i = 0; i < 256; ++i) ok = ok && ch[0][static_cast<std::size_t>(i)] == kMuLawRef[i] / 32768.0f;
  check(ok, "mu-law: all 256 codes equal libsndfile's");
  check(ch[0][0x00] == -32124 / 32768.0f && ch[0][0x80] == 32124 / 32768.0f && ch[0][0xFF] == 0.0f &&
            ch[0][0x7F] == 0.0f,
        "mu-law: 0x00 -> -32124, 0x80 -> 32124, 0xFF and 0x7F -> 0");
  ch = read_all(simple_wav(6, 1, 8, all), &info);
  check(info.encoding == WavEncoding::ALaw && info.subtype() == "ALAW", "A-law: encoding and subtype");
  ok = true;
  for (int i = 0; i < 256; ++i) ok = ok && ch[0][static_cast<std::size_t>(i)] == kALawRef[i] / 32768.0f;
  check(ok, "A-law: all 256 codes equal libsndfile's");
  check(ch[0][0xD5] == 8 / 32768.0f && ch[0][0x55] == -8 / 32768.0f && ch[0][0x80] == 5504 / 32768.0f &&
            ch[0][0x2A] == -32256 / 32768.0f,
        "A-law: 0xD5 -> 8, 0x55 -> -8, 0x80 -> 5504, 0x2A -> -32256");
  // wBitsPerSample other than 8 still means one byte per sample (libsndfile tolerates it too).
  ch = read_all(riff({chunk("fmt ", fmt_body(7, 1, 8000, 16, 1)), chunk("data", Bytes{0x00, 0x80, 0xFF})}), &info);
  check(info.encoding == WavEncoding::MuLaw && info.bits_per_sample == 8 && info.num_frames == 3 &&
            ch[0][1] == 32124 / 32768.0f,
        "mu-law with wBitsPerSample 16 decodes one byte per sample");
}

void test_extensible() {
  {
    WavInfo info;
    const auto ch = read_all(
        riff({chunk("fmt ", fmt_ext_body(1, 2, 48000, 16, 16, 0x3)), chunk("data", s16_samples({-32768, 16384, 1, 2}))}),
        &info);
    check(info.extensible && info.encoding == WavEncoding::PcmS16 && info.channel_mask == 0x3 &&
              info.format_tag == 1 && info.channels == 2 && info.sample_rate == 48000 && info.num_frames == 2,
          "extensible PCM 16 stereo: fields");
    check(ch[0][0] == -1.0f && ch[1][0] == 0.5f && ch[0][1] == std::ldexp(1.0f, -15), "extensible PCM 16: values");
  }
  {  // 24 valid bits in a 32-bit container decode as s32 (libsndfile: PCM_32)
    WavInfo info;
    const auto ch = read_all(riff({chunk("fmt ", fmt_ext_body(1, 1, 96000, 32, 24, 0x4)),
                                   chunk("data", s32_samples({-2147483648LL, 0x12345600}))}),
                             &info);
    check(info.encoding == WavEncoding::PcmS32 && info.subtype() == "PCM_32" && info.valid_bits == 24 &&
              info.bits_per_sample == 32 && info.channel_mask == 0x4,
          "extensible 24-in-32: s32 container, valid_bits 24");
    check(ch[0][0] == -1.0f && ch[0][1] == static_cast<float>(0x12345600 / 2147483648.0), "extensible 24-in-32: values");
  }
  {
    WavInfo info;
    auto ch = read_all(riff({chunk("fmt ", fmt_ext_body(3, 1, 44100, 32, 32, 0x4)), chunk("data", f32_samples({0.75f}))}),
                       &info);
    check(info.encoding == WavEncoding::Float32 && info.extensible && ch[0][0] == 0.75f, "extensible float32");
    ch = read_all(riff({chunk("fmt ", fmt_ext_body(3, 1, 44100, 64, 64, 0)), chunk("data", f64_samples({-0.125}))}), &info);
    check(info.encoding == WavEncoding::Float64 && ch[0][0] == -0.125f, "extensible float64");
    ch = read_all(riff({chunk("fmt ", fmt_ext_body(7, 1, 8000, 8, 8, 0)), chunk("data", Bytes{0x80})}), &info);
    check(info.encoding == WavEncoding::MuLaw && ch[0][0] == 32124 / 32768.0f, "extensible mu-law");
    ch = read_all(riff({chunk("fmt ", fmt_ext_body(6, 1, 8000, 8, 8, 0)), chunk("data", Bytes{0xD5})}), &info);
    check(info.encoding == WavEncoding::ALaw && ch[0][0] == 8 / 32768.0f, "extensible A-law");
    ch = read_all(riff({chunk("fmt ", fmt_ext_body(1, 1, 8000, 8, 8, 0)), chunk("data", Bytes{255})}), &info);
    check(info.encoding == WavEncoding::PcmU8 && ch[0][0] == 127.0f / 128.0f, "extensible 8-bit PCM is unsigned");
  }
  {
    std::string msg;
    const std::string code = parse_code(
        riff({chunk("fmt ", fmt_ext_body(2, 1, 8000, 4, 4, 0)), chunk("data", Bytes(16))}), &msg);
    check(code == "UNSUPPORTED_FORMAT" && msg.find("0x0002") != std::string::npos &&
              msg.find("Microsoft ADPCM") != std::string::npos,
          "extensible ADPCM subformat is UNSUPPORTED_FORMAT naming the subformat: " + msg);
    Bytes short_ext = fmt_body(0xFFFE, 1, 8000, 16);
    put16(short_ext, 0);
    check(parse_code(riff({chunk("fmt ", short_ext), chunk("data", Bytes(4))})) == "DECODE_CORRUPT",
          "extensible fmt chunk under 40 bytes is DECODE_CORRUPT");
  }
}

Bytes ds64_body(std::uint64_t riff_size, std::uint64_t data_size, std::uint64_t samples,
                const std::vector<std::pair<const char*, std::uint64_t>>& table = {}) {
  Bytes b;
  put64(b, riff_size);
  put64(b, data_size);
  put64(b, samples);
  put32(b, static_cast<std::uint32_t>(table.size()));
  for (const auto& e : table) {
    put_id(b, e.first);
    put64(b, e.second);
  }
  return b;
}

void test_rf64() {
  const Bytes data = s16_samples({100, 200, 300, 400, 500, 600});
  for (const char* magic : {"RF64", "BW64"}) {
    // ds64 says 4 samples of data (8 bytes); the data chunk header says 0xFFFFFFFF; a LIST follows.
    Bytes b = riff({chunk("ds64", ds64_body(0, 8, 4)), chunk("fmt ", fmt_body(1, 1, 8000, 16)),
                    chunk("data", data, 0xFFFFFFFFu), chunk("LIST", Bytes{'I', 'N', 'F', 'O'})},
                   magic, 0xFFFFFFFFu);
    WavInfo info;
    const auto ch = read_all(b, &info);
    check(info.rf64 && info.num_frames == 4 && !info.truncated && ch[0][3] == 400 / 32768.0f,
          std::string(magic) + ": data size from ds64");
    // ds64 data size larger than the file: truncated
    b = riff({chunk("ds64", ds64_body(0, 1000, 500)), chunk("fmt ", fmt_body(1, 1, 8000, 16)),
              chunk("data", data, 0xFFFFFFFFu)},
             magic, 0xFFFFFFFFu);
    info = info_of(b);
    check(info.truncated && info.num_frames == 6, std::string(magic) + ": ds64 size beyond the file is truncated");
  }
  {  // RF64 whose data header carries a real 32-bit size
    const Bytes b = riff({chunk("ds64", ds64_body(0, 0xFFFFFFFFFULL, 0)), chunk("fmt ", fmt_body(1, 1, 8000, 16)),
                          chunk("data", data, 4)},
                         "RF64", 0xFFFFFFFFu);
    check(info_of(b).num_frames == 2, "RF64: an explicit 32-bit data size is used");
  }
  {  // RF64 without ds64: a 0xFFFFFFFF data size runs to the end
    const Bytes b = riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("data", data, 0xFFFFFFFFu)}, "RF64");
    check(info_of(b).num_frames == 6 && !info_of(b).truncated, "RF64 without ds64: data to the end of the file");
  }
  {  // the ds64 table sizes a chunk marked 0xFFFFFFFF before the data
    const Bytes junk(10, 0x55);
    const Bytes b = riff({chunk("ds64", ds64_body(0, 12, 6, {{"JUNK", 10}})), chunk("JUNK", junk, 0xFFFFFFFFu),
                          chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("data", data, 0xFFFFFFFFu)},
                         "RF64");
    WavInfo info;
    const auto ch = read_all(b, &info);
    check(info.num_frames == 6 && ch[0][0] == 100 / 32768.0f, "RF64: ds64 table gives a chunk's 64-bit size");
  }
  check(parse_code(riff({chunk("ds64", Bytes(12)), chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("data", data)},
                        "RF64")) == "DECODE_CORRUPT",
        "RF64: a ds64 chunk under 24 bytes is DECODE_CORRUPT");
}

void test_chunk_walk() {
  const Bytes data = s16_samples({1000, -1000, 2000});
  {  // odd-sized LIST (padded) and a fact chunk before the data
    const Bytes b = riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("LIST", Bytes{'I', 'N', 'F', 'O', 'x'}),
                          chunk("fact", Bytes{3, 0, 0, 0}), chunk("data", data)});
    WavInfo info;
    const auto ch = read_all(b, &info);
    check(info.num_frames == 3 && info.data_offset == 44 + 14 + 12 && ch[0][2] == 2000 / 32768.0f,
          "odd-sized LIST chunk is padded to even");
  }
  {  // the writer forgot the pad byte
    const Bytes b = riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("LIST", Bytes{'I', 'N', 'F', 'O', 'x'}, 5, false),
                          chunk("data", data)});
    WavInfo info;
    const auto ch = read_all(b, &info);
    check(info.num_frames == 3 && ch[0][0] == 1000 / 32768.0f, "odd chunk without its pad byte is followed");
  }
  {  // odd-sized fmt chunk (18 bytes with cbSize is even; 17 is odd)
    Bytes f = fmt_body(1, 1, 8000, 16);
    f.push_back(0);
    const Bytes b = riff({chunk("fmt ", f), chunk("data", data)});
    check(info_of(b).num_frames == 3, "odd-sized fmt chunk");
  }
  {  // data size 0 and 0xFFFFFFFF: to the end of the file
    for (std::uint32_t size : {0u, 0xFFFFFFFFu}) {
      const Bytes b = riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("data", data, size)}, "RIFF", size);
      WavInfo info;
      const auto ch = read_all(b, &info);
      check(info.num_frames == 3 && !info.truncated && ch[0][1] == -1000 / 32768.0f,
            "streaming data size " + std::to_string(size) + " runs to the end of the file");
    }
    // an empty data chunk followed by a LIST chunk really is empty
    const Bytes b = riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("data", Bytes()), chunk("LIST", Bytes(4, 'a'))});
    check(info_of(b).num_frames == 0, "empty data chunk followed by LIST has 0 frames");
  }
  {  // data size beyond the file: truncated, whole frames only
    const Bytes b = riff({chunk("fmt ", fmt_body(1, 2, 8000, 16)), chunk("data", s16_samples({1, 2, 3, 4, 5}), 400)});
    WavInfo info;
    const auto ch = read_all(b, &info);
    check(info.truncated && info.num_frames == 2 && ch[1][1] == 4 / 32768.0f,
          "declared data beyond the file: truncated, 2 whole stereo frames");
  }
  {  // partial trailing frame with a correct size
    const Bytes b = riff({chunk("fmt ", fmt_body(1, 2, 8000, 16)), chunk("data", s16_samples({1, 2, 3, 4, 5}))});
    const WavInfo info = info_of(b);
    check(!info.truncated && info.num_frames == 2, "a trailing partial frame is ignored");
  }
  {  // data before fmt, fmt after it
    const Bytes b = riff({chunk("data", data), chunk("fmt ", fmt_body(1, 1, 8000, 16))});
    WavInfo info;
    const auto ch = read_all(b, &info);
    check(info.num_frames == 3 && info.data_offset == 20 && ch[0][0] == 1000 / 32768.0f,
          "data chunk before the fmt chunk is accepted when fmt follows");
    std::string msg;
    check(parse_code(riff({chunk("data", data, 0)}), &msg) == "DECODE_CORRUPT" &&
              msg.find("before fmt") != std::string::npos,
          "data to the end before any fmt chunk is DECODE_CORRUPT: " + msg);
  }
  {  // block_align 0 is recomputed; a larger block_align is the frame stride
    WavInfo info;
    auto ch = read_all(riff({chunk("fmt ", fmt_body(1, 2, 8000, 16, 0)), chunk("data", s16_samples({1, 2, 3, 4}))}),
                       &info);
    check(info.block_align == 4 && info.num_frames == 2 && ch[1][1] == 4 / 32768.0f, "block_align 0 is recomputed");
    ch = read_all(riff({chunk("fmt ", fmt_body(1, 1, 8000, 16, 4)), chunk("data", s16_samples({1, 2, 3, 4, 5}))}),
                  &info);
    check(info.block_align == 4 && info.num_frames == 2 && ch[0][0] == 1 / 32768.0f && ch[0][1] == 3 / 32768.0f,
          "block_align larger than a frame is the stride");
  }
  {  // a second fmt/data chunk is ignored; unknown chunks are skipped
    const Bytes b = riff({chunk("JUNK", Bytes(28)), chunk("bext", Bytes(7, 1)), chunk("fmt ", fmt_body(1, 1, 8000, 16)),
                          chunk("cue ", Bytes(4)), chunk("zzzz", Bytes(3, 9)), chunk("data", data),
                          chunk("data", s16_samples({7}))});
    check(info_of(b).num_frames == 3, "JUNK, bext, cue and unknown chunks are skipped");
  }
}

void test_errors() {
  std::string msg;
  check(parse_code(Bytes()) == "EMPTY", "zero bytes: EMPTY");
  const std::string text = "hello, this is certainly not a wave file";
  check(parse_code(Bytes(text.begin(), text.end()), &msg) == "DECODE_CORRUPT" &&
            msg.find("not a WAV file") != std::string::npos,
        "text: DECODE_CORRUPT 'not a WAV file': " + msg);
  check(parse_code(Bytes{'R', 'I', 'F', 'F', 0x10}) == "DECODE_TRUNCATED", "5 bytes of a RIFF header: DECODE_TRUNCATED");
  check(parse_code(Bytes{'R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'A'}) == "DECODE_TRUNCATED",
        "10 bytes of a RIFF header: DECODE_TRUNCATED");
  check(parse_code(Bytes{'M', 'T', 'h', 'd', 0}) == "DECODE_CORRUPT", "5 bytes of something else: DECODE_CORRUPT");
  {
    Bytes b = riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("data", Bytes(4))});
    std::memcpy(&b[8], "AVI ", 4);
    check(parse_code(b) == "DECODE_CORRUPT", "RIFF AVI: DECODE_CORRUPT");
    std::memcpy(&b[0], "RIFX", 4);
    std::memcpy(&b[8], "WAVE", 4);
    check(parse_code(b) == "UNSUPPORTED_FORMAT", "RIFX: UNSUPPORTED_FORMAT");
  }
  const Bytes d4(4);
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 0, 8000, 16, 2)), chunk("data", d4)})) == "DECODE_CORRUPT",
        "0 channels: DECODE_CORRUPT");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 2000, 8000, 8)), chunk("data", d4)}), &msg) == "DECODE_CORRUPT" &&
            msg.find("2000 channels") != std::string::npos,
        "2000 channels: DECODE_CORRUPT: " + msg);
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1024, 8000, 8)), chunk("data", Bytes(2048))})) == "",
        "1024 channels are accepted");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1, 0, 16)), chunk("data", d4)})) == "DECODE_CORRUPT",
        "rate 0: DECODE_CORRUPT");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1, 20000000, 16)), chunk("data", d4)})) == "DECODE_CORRUPT",
        "rate 20 MHz: DECODE_CORRUPT");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1, 10000000, 16)), chunk("data", d4)})) == "",
        "rate 10 MHz is accepted");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 2, 8000, 16, 2)), chunk("data", d4)})) == "DECODE_CORRUPT",
        "block align smaller than a frame: DECODE_CORRUPT");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1, 8000, 0, 2)), chunk("data", d4)})) == "DECODE_CORRUPT",
        "PCM with 0 bits: DECODE_CORRUPT");
  check(parse_code(riff({chunk("fmt ", Bytes(14, 1)), chunk("data", d4)})) == "DECODE_CORRUPT",
        "fmt chunk of 14 bytes: DECODE_CORRUPT");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("LIST", Bytes(4, 'x'))}), &msg) ==
                "DECODE_CORRUPT" &&
            msg.find("no data") != std::string::npos,
        "no data chunk in a complete RIFF: DECODE_CORRUPT: " + msg);
  check(parse_code(riff({chunk("LIST", Bytes(4, 'x')), chunk("data", d4)})) == "DECODE_CORRUPT",
        "a data chunk but no fmt chunk: DECODE_CORRUPT");
  check(parse_code(riff({chunk("LIST", Bytes(4, 'x'))})) == "DECODE_CORRUPT", "no fmt and no data: DECODE_CORRUPT");
  {
    const Bytes full = simple_wav(1, 1, 16, s16_samples({1, 2, 3}));
    bool all_truncated = true;
    for (std::size_t cut = 12; cut < 44; ++cut) {  // mid-fmt, between chunks, mid data header
      const Bytes b(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
      all_truncated = all_truncated && parse_code(b) == "DECODE_TRUNCATED";
    }
    check(all_truncated, "every cut between byte 12 and the data chunk start is DECODE_TRUNCATED");
    const Bytes b44(full.begin(), full.begin() + 44);
    check(parse_code(b44) == "" && info_of(b44).truncated && info_of(b44).num_frames == 0,
          "a cut right after the data header: 0 frames, truncated");
  }
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1, 8000, 16)), chunk("LIST", Bytes(4), 0xFFFFFFF0u),
                         chunk("data", d4)})) == "DECODE_TRUNCATED",
        "a chunk size past the end before the data: DECODE_TRUNCATED");
  check(parse_code(riff({chunk("fmt ", fmt_body(2, 1, 8000, 4, 256)), chunk("data", d4)}), &msg) ==
                "UNSUPPORTED_FORMAT" &&
            msg == "WAV format tag 0x0002 (Microsoft ADPCM) is not supported",
        "ADPCM: UNSUPPORTED_FORMAT naming the tag: " + msg);
  check(parse_code(riff({chunk("fmt ", fmt_body(0x55, 2, 44100, 0, 1)), chunk("data", d4)}), &msg) ==
                "UNSUPPORTED_FORMAT" &&
            msg.find("0x0055 (MPEG Layer 3)") != std::string::npos,
        "MP3 in WAV: UNSUPPORTED_FORMAT: " + msg);
  check(parse_code(riff({chunk("fmt ", fmt_body(0x1234, 1, 8000, 16)), chunk("data", d4)}), &msg) ==
                "UNSUPPORTED_FORMAT" &&
            msg == "WAV format tag 0x1234 is not supported",
        "unknown tag: UNSUPPORTED_FORMAT: " + msg);
  check(parse_code(riff({chunk("fmt ", fmt_body(3, 1, 8000, 24)), chunk("data", d4)})) == "UNSUPPORTED_FORMAT",
        "24-bit float: UNSUPPORTED_FORMAT");
  check(parse_code(riff({chunk("fmt ", fmt_body(1, 1, 8000, 40)), chunk("data", d4)})) == "UNSUPPORTED_FORMAT",
        "40-bit PCM: UNSUPPORTED_FORMAT");
  {
    std::vector<Bytes> many(5000, chunk("JUNK", Bytes()));
    many.push_back(chunk("fmt ", fmt_body(1, 1, 8000, 16)));
    many.push_back(chunk("data", d4));
    check(parse_code(riff(many)) == "DECODE_CORRUPT", "5000 chunks before the data: DECODE_CORRUPT");
  }
  {  // Select out of range, bad WavInfo
    const Bytes b = simple_wav(1, 2, 16, s16_samples({1, 2, 3, 4}));
    MemorySource src(b.data(), b.size());
    const WavInfo info = parse_wav(src);
    std::vector<float> o(4);
    float* p = o.data();
    check(code_of([&] { read_wav_frames(src, info, 0, 2, ChannelMix::Select, 2, &p); }) == "INVALID_ARGUMENT",
          "Select channel 2 of 2: INVALID_ARGUMENT");
    check(code_of([&] { read_wav_frames(src, info, 0, 2, ChannelMix::Select, -1, &p); }) == "INVALID_ARGUMENT",
          "Select channel -1: INVALID_ARGUMENT");
    float* null_out = nullptr;
    check(code_of([&] { read_wav_frames(src, info, 0, 2, ChannelMix::All, 0, &null_out); }) == "INVALID_ARGUMENT",
          "a null output buffer: INVALID_ARGUMENT");
    check(code_of([&] { read_wav_frames(src, info, 2, 5, ChannelMix::All, 0, nullptr); }) == "" &&
              code_of([&] { read_wav_frames(src, info, 0, 0, ChannelMix::Mean, 0, nullptr); }) == "",
          "reading zero frames needs no output buffers");
    WavInfo bad = info;
    bad.block_align = 2;
    check(code_of([&] { read_wav_frames(src, bad, 0, 2, ChannelMix::Mean, 0, &p); }) == "INVALID_ARGUMENT",
          "a WavInfo with block_align below a frame: INVALID_ARGUMENT");
    bad = info;
    bad.channels = 0;
    check(code_of([&] { decode_wav_block(bad, b.data() + 44, 1, ChannelMix::Mean, 0, &p, 0); }) == "INVALID_ARGUMENT",
          "decode_wav_block with 0 channels: INVALID_ARGUMENT");
  }
}

void test_mixes() {
  const Bytes stereo = simple_wav(1, 2, 16, s16_samples({1000, 3000, -32768, -32768, 5, -6, 7, 8}));
  const auto all = read_all(stereo);
  check(all.size() == 2 && all[0].size() == 4 && all[0][0] == 1000 / 32768.0f && all[1][0] == 3000 / 32768.0f &&
            all[1][2] == -6 / 32768.0f,
        "All: planar channels");
  const auto mean = read_mix(stereo, ChannelMix::Mean, 0);
  check(mean.size() == 4 && mean[0] == 2000 / 32768.0f && mean[1] == -1.0f && mean[2] == -0.5f / 32768.0f &&
            mean[3] == 7.5f / 32768.0f,
        "Mean of two channels: (a + b) / 2");
  const auto sel = read_mix(stereo, ChannelMix::Select, 1);
  check(sel.size() == 4 && sel[0] == 3000 / 32768.0f && sel[2] == -6 / 32768.0f && sel[3] == 8 / 32768.0f,
        "Select channel 1");
  {  // numpy's float32 x.mean(axis=1): sequential below 8 channels, pairwise from 8
    const Bytes three = simple_wav(3, 3, 32, f32_samples({1e8f, 1.0f, -1e8f, 0.1f, 0.2f, 0.3f}));
    const auto m3 = read_mix(three, ChannelMix::Mean, 0);
    check(m3[0] == 0.0f && m3[1] == std::stof("0x1.99999ap-3"), "Mean of 3 channels equals numpy's");
    const Bytes nine = simple_wav(
        3, 9, 32,
        f32_samples({1e8f, 1.0f, -1e8f, 1.0f, 3.0f, 0.1f, 0.2f, 0.3f, 7.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f,
                     0.8f, 0.9f, 1e-8f, 1.0f, 1e8f, -1e8f, 0.5f, 0.25f, 3e7f, -3e7f, 1.0f}));
    const auto m9 = read_mix(nine, ChannelMix::Mean, 0);
    check(m9.size() == 3 && m9[0] == std::stof("0x1.2d82d8p+0") && m9[1] == 0.5f && m9[2] == std::stof("0x1.38e38ep-2"),
          "Mean of 9 channels equals numpy's pairwise order");
    const Bytes negzero = simple_wav(3, 2, 32, f32_samples({-0.0f, -0.0f}));
    check(same_bits(read_mix(negzero, ChannelMix::Mean, 0)[0], 0.0f), "Mean of -0 and -0 is +0 (as numpy)");
  }
  {  // 12 channels, mean against a direct pairwise layout check on integers (exact in float)
    std::vector<int> v;
    for (int f = 0; f < 3; ++f)
      for (int c = 0; c < 12; ++c) v.push_back((f + 1) * (c - 5) * 100);
    const auto m = read_mix(simple_wav(1, 12, 16, s16_samples(v)), ChannelMix::Mean, 0);
    check(m.size() == 3 && m[0] == 50.0f / 32768.0f && m[2] == 150.0f / 32768.0f, "Mean of 12 integer channels");
    const auto s = read_mix(simple_wav(1, 12, 16, s16_samples(v)), ChannelMix::Select, 11);
    check(s[1] == 1200.0f / 32768.0f, "Select channel 11 of 12");
  }
}

// Big enough to span several 256 KiB blocks at every stride.
void test_spans() {
  struct Case {
    std::uint16_t tag;
    int channels, bits, align;
  };
  const Case cases[] = {{1, 1, 16, -1}, {1, 2, 24, -1}, {1, 3, 8, -1}, {3, 2, 64, -1}, {1, 5, 16, 14}, {7, 2, 8, -1}};
  const std::size_t frames = 150001;
  for (const Case& k : cases) {
    const int bytes = (k.bits + 7) / 8;
    const int align = k.align < 0 ? k.channels * bytes : k.align;
    Bytes data(frames * static_cast<std::size_t>(align));
    std::uint32_t x = 12345;
    for (auto& d : data) {
      x = x * 1664525u + 1013904223u;
      d = static_cast<unsigned char>(x >> 24);
    }
    if (k.tag == 3)  // keep the doubles finite and small: clear the exponent's high bits
      for (std::size_t i = 7; i < data.size(); i += 8) data[i] &= 0x3F;
    const Bytes b = riff({chunk("fmt ", fmt_body(k.tag, k.channels, 44100, k.bits, align)), chunk("data", data)});
    WavInfo info;
    const auto full = read_all(b, &info);
    const std::string name = "tag " + std::to_string(k.tag) + " x" + std::to_string(k.channels) + " " +
                             std::to_string(k.bits) + "-bit stride " + std::to_string(align);
    check(info.num_frames == frames, name + ": frame count");
    // decode_wav_block on the whole data agrees with read_wav_frames
    {
      std::vector<std::vector<float>> ch(static_cast<std::size_t>(k.channels), std::vector<float>(frames + 3));
      std::vector<float*> p;
      for (auto& c : ch) p.push_back(c.data());
      decode_wav_block(info, b.data() + info.data_offset, frames, ChannelMix::All, 0, p.data(), 3);
      bool same = true;
      for (int c = 0; c < k.channels; ++c)
        for (std::size_t i = 0; i < frames; i += 997)
          same = same && same_bits(ch[static_cast<std::size_t>(c)][i + 3], full[static_cast<std::size_t>(c)][i]);
      check(same, name + ": decode_wav_block with an out offset agrees");
    }
    MemorySource src(b.data(), b.size());
    const std::uint64_t spans[][2] = {{0, 1}, {1, 70000}, {43690, 43692}, {100000, 100000}, {149999, 5},
                                      {frames, 10}, {frames + 7, 1}, {0, 0}, {5, std::numeric_limits<std::uint64_t>::max()}};
    bool ok = true;
    for (const auto& sp : spans) {
      const std::uint64_t start = sp[0], count = sp[1];
      const std::uint64_t expect = start >= frames ? 0 : std::min<std::uint64_t>(count, frames - start);
      std::vector<std::vector<float>> ch(static_cast<std::size_t>(k.channels),
                                         std::vector<float>(static_cast<std::size_t>(expect) + 1, -99.0f));
      std::vector<float*> p;
      for (auto& c : ch) p.push_back(c.data());
      const std::uint64_t n = read_wav_frames(src, info, start, count, ChannelMix::All, 0, p.data());
      ok = ok && n == expect;
      for (int c = 0; c < k.channels && ok; ++c) {
        const auto& o = ch[static_cast<std::size_t>(c)];
        for (std::uint64_t i = 0; i < expect; ++i)
          ok = ok && same_bits(o[static_cast<std::size_t>(i)], full[static_cast<std::size_t>(c)][static_cast<std::size_t>(start + i)]);
        ok = ok && o[static_cast<std::size_t>(expect)] == -99.0f;  // nothing written past the span
      }
      // Select and Mean over the same span
      std::vector<float> one(static_cast<std::size_t>(expect) + 1, -99.0f);
      float* q = one.data();
      const int sel = k.channels - 1;
      ok = ok && read_wav_frames(src, info, start, count, ChannelMix::Select, sel, &q) == expect;
      for (std::uint64_t i = 0; i < expect; ++i)
        ok = ok && same_bits(one[static_cast<std::size_t>(i)], full[static_cast<std::size_t>(sel)][static_cast<std::size_t>(start + i)]);
      ok = ok && one[static_cast<std::size_t>(expect)] == -99.0f;
      ok = ok && read_wav_frames(src, info, start, count, ChannelMix::Mean, 0, &q) == expect;
      if (k.channels < 8)
        for (std::uint64_t i = 0; i < expect; i += 101) {
          float s = 0.0f;
          for (int c = 0; c < k.channels; ++c) s += full[static_cast<std::size_t>(c)][static_cast<std::size_t>(start + i)];
          ok = ok && same_bits(one[static_cast<std::size_t>(i)], (0.0f + s) / static_cast<float>(k.channels));
        }
    }
    check(ok, name + ": every span (across block boundaries, clamped, beyond the end) matches the full read");
  }
}

// A source that says it is bigger than what it can deliver (the file shrank after parsing).
class ShrunkSource final : public ByteSource {
 public:
  ShrunkSource(const Bytes& b, std::size_t real) : b_(b), real_(real) {}
  std::uint64_t size() const override { return b_.size(); }
  std::size_t read(std::uint64_t offset, void* dst, std::size_t n) override {
    if (offset >= real_) return 0;
    const std::size_t k = std::min<std::size_t>(n, real_ - static_cast<std::size_t>(offset));
    std::memcpy(dst, b_.data() + offset, k);
    return k;
  }

 private:
  const Bytes& b_;
  std::size_t real_;
};

void test_sources() {
  const std::size_t frames = 300000;
  Bytes data(frames * 2);
  for (std::size_t i = 0; i < frames; ++i) {
    data[2 * i] = static_cast<unsigned char>(i);
    data[2 * i + 1] = static_cast<unsigned char>(i >> 8);
  }
  const Bytes b = simple_wav(1, 1, 16, data);
  {
    MemorySource whole(b.data(), b.size());
    const WavInfo info = parse_wav(whole);
    ShrunkSource src(b, 44 + 2 * 200000 + 1);  // 200000 frames and a half
    std::vector<float> out(frames);
    float* p = out.data();
    const std::uint64_t n = read_wav_frames(src, info, 0, frames, ChannelMix::All, 0, &p);
    check(n == 200000 && out[199999] == static_cast<float>(static_cast<std::int16_t>(199999 & 0xFFFF)) / 32768.0f,
          "a source that shrank: the frames it still holds are returned");
  }
  {  // FileSource agrees with MemorySource
    const std::string path = "/tmp/audiomill_wav_test_" + std::to_string(::getpid()) + ".wav";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    check(f != nullptr, "temp file opens");
    if (!f) return;
    std::fwrite(b.data(), 1, b.size(), f);
    std::fclose(f);
    {
      FileSource src(path);
      const WavInfo info = parse_wav(src);
      std::vector<float> out(1000);
      float* p = out.data();
      const std::uint64_t n = read_wav_frames(src, info, 131000, 1000, ChannelMix::Select, 0, &p);
      check(info.num_frames == frames && n == 1000 && out[0] == static_cast<float>(static_cast<std::int16_t>(131000 & 0xFFFF)) / 32768.0f,
            "FileSource: parse and a span read");
    }
    std::remove(path.c_str());
  }
}

}  // namespace

TEST_SUITE(wav_tests) {
  test_pcm_values();
  test_float_values();
  test_g711();
  test_extensible();
  test_rf64();
  test_chunk_walk();
  test_errors();
  test_mixes();
  test_spans();
  test_sources();
}
