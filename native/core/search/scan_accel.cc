#include "search/scan_accel.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "search/quantize.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define AM_MATRIX_KERNELS 1
#include <immintrin.h>
#endif

namespace audiomill {
namespace search_detail {

// Layouts. Queries are packed once per search into tiles of 16 queries; a tile holds one 64-byte
// line per K group (4 int8 dimensions, or 2 bf16 dimensions), query i's group at bytes [4i, 4i + 4)
// of its line. 16 lines (one 64-byte K chunk of every query) are an AMX B tile (K x 16 queries), and
// a line is the query-side vector of a VNNI multiply-add. Rows are read in place (row-major, the
// stored layout): 16 rows x one K chunk are an AMX A tile, and a VNNI step broadcasts 4 bytes of a
// row. Rows whose dimension is not a multiple of the chunk, and a block's last rows, are first
// copied into a zero-padded scratch tile. Scores come out [row][query] (update_sinks<1, 32>).
namespace {

constexpr int kQPair = 32;  // queries per kernel step (two tiles of 16)

int round_up(int x, int m) { return (x + m - 1) / m * m; }

}  // namespace

void prepare_accel(Context& c) {
  const FlatSearchArgs& a = *c.a;
  const MatrixUnit u = active_matrix_unit();
  c.unit = MatrixUnit::None;
  if (a.storage == RowStorage::I8 && u != MatrixUnit::None) c.unit = u;
  if (a.storage == RowStorage::BF16 && u == MatrixUnit::Amx) c.unit = u;
#if !defined(AM_MATRIX_KERNELS)
  c.unit = MatrixUnit::None;
#endif
  if (c.unit == MatrixUnit::None) return;
  const bool bf16 = a.storage == RowStorage::BF16;
  const int per = bf16 ? 2 : 4;  // dimensions per 4-byte K group
  c.dpad = round_up(a.dim, bf16 ? 32 : 64);
  const std::int64_t groups = c.dpad / per;
  const std::int64_t tiles = (a.nq + kQPair - 1) / kQPair * 2;
  c.qpacked.assign(static_cast<std::size_t>(tiles * groups * 64), 0);
  std::vector<std::uint16_t> half(bf16 ? static_cast<std::size_t>(a.dim) : 0);
  for (std::int64_t q = 0; q < tiles * 16; ++q) {
    std::uint8_t* tile = c.qpacked.data() + (q / 16) * groups * 64 + (q % 16) * 4;
    if (q >= a.nq) {
      if (c.unit == MatrixUnit::Vnni)  // code 0 as an unsigned byte (code + 128)
        for (std::int64_t g = 0; g < groups; ++g) std::memset(tile + g * 64, 0x80, 4);
      continue;
    }
    if (bf16) {
      f32_to_bf16(a.queries + q * a.dim, static_cast<std::size_t>(a.dim), half.data());
      for (int d = 0; d < a.dim; ++d) std::memcpy(tile + (d / 2) * 64 + (d % 2) * 2, &half[static_cast<std::size_t>(d)], 2);
      continue;
    }
    const std::int8_t* codes = c.qcodes.data() + q * a.dim;
    const std::uint8_t flip = c.unit == MatrixUnit::Vnni ? 0x80 : 0;  // VNNI multiplies unsigned query bytes
    for (int d = 0; d < c.dpad; ++d) {
      const std::uint8_t v = d < a.dim ? static_cast<std::uint8_t>(codes[d]) : 0;
      tile[(d / 4) * 64 + d % 4] = static_cast<std::uint8_t>(v ^ flip);
    }
  }
}

#if defined(AM_MATRIX_KERNELS)
namespace {

// Rows [j0, j0 + m) of the block as `count` rows of `bytes` bytes at a stride: in place when they
// are whole and unpadded, else copied (zero-padded to `count` rows of padded_bytes) into scratch.
struct RowTile {
  const std::uint8_t* p;
  std::int64_t stride;
};

AM_INLINE RowTile row_tile(const std::uint8_t* rows, std::int64_t row_bytes, std::int64_t padded_bytes, std::int64_t j0,
                           std::int64_t m, int count, std::vector<std::uint8_t>& scratch) {
  if (row_bytes == padded_bytes && m == count) return {rows + j0 * row_bytes, row_bytes};
  scratch.assign(static_cast<std::size_t>(count * padded_bytes), 0);
  for (std::int64_t r = 0; r < m; ++r)
    std::memcpy(scratch.data() + r * padded_bytes, rows + (j0 + r) * row_bytes, static_cast<std::size_t>(row_bytes));
  return {scratch.data(), padded_bytes};
}

// AVX512-VNNI: 8 rows x 32 queries of int32 accumulators; per K group, the two query tiles' lines
// (unsigned: code + 128) times each row's 4 codes broadcast (signed), then minus 128 x the row's sum.
template <class Sink>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void scan_vnni(const Context& c, std::int64_t q0, int nqg,
                                                                    std::int64_t r0, std::int64_t r1, Sink* sinks) {
  constexpr int R = 8;
  const FlatSearchArgs& a = *c.a;
  const std::int64_t groups = c.dpad / 4;
  const auto* rows = reinterpret_cast<const std::uint8_t*>(a.rows_i8);
  thread_local std::vector<std::uint8_t> scratch;
  thread_local std::vector<float> sc;
  sc.resize(static_cast<std::size_t>(kBlock) * kQPair);
  std::int32_t rowsum[kBlock];
  for (std::int64_t b0 = r0; b0 < r1; b0 += kBlock) {
    const std::int64_t b1 = std::min(r1, b0 + kBlock);
    for (std::int64_t j = b0; j < b1; ++j) {
      std::int32_t s = 0;
      for (int d = 0; d < a.dim; ++d) s += a.rows_i8[j * a.dim + d];
      rowsum[j - b0] = s;
    }
    for (int qt = 0; qt < nqg; qt += kQPair) {
      const std::uint8_t* qa = c.qpacked.data() + ((q0 + qt) / 16) * groups * 64;
      const std::uint8_t* qb = qa + groups * 64;
      for (std::int64_t j0 = b0; j0 < b1; j0 += R) {
        const RowTile t = row_tile(rows, a.dim, c.dpad, j0, std::min<std::int64_t>(R, b1 - j0), R, scratch);
        __m512i acc[R][2];
        for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
        for (std::int64_t g = 0; g < groups; ++g) {
          const __m512i va = _mm512_loadu_si512(qa + g * 64);
          const __m512i vb = _mm512_loadu_si512(qb + g * 64);
          for (int r = 0; r < R; ++r) {
            std::int32_t w;
            std::memcpy(&w, t.p + r * t.stride + g * 4, 4);
            const __m512i x = _mm512_set1_epi32(w);
            acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], va, x);
            acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], vb, x);
          }
        }
        for (int r = 0; r < R && j0 + r < b1; ++r) {
          const __m512i corr = _mm512_set1_epi32(128 * rowsum[j0 + r - b0]);
          float* out = sc.data() + (j0 + r - b0) * kQPair;
          _mm512_storeu_ps(out, _mm512_maskz_cvtepi32_ps(0xffff, _mm512_sub_epi32(acc[r][0], corr)));
          _mm512_storeu_ps(out + 16, _mm512_maskz_cvtepi32_ps(0xffff, _mm512_sub_epi32(acc[r][1], corr)));
        }
      }
      update_sinks<1, kQPair>(c, q0 + qt, std::min(kQPair, nqg - qt), b0, b1, sc.data(), sinks + qt);
    }
  }
}

struct TileConfig {
  std::uint8_t palette = 1;
  std::uint8_t start_row = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t colsb[16] = {};
  std::uint8_t rows[16] = {};
};

// AMX: tiles 0-3 accumulate 32 rows x 32 queries (C[row][query]), 4-5 hold 16 rows x one K chunk
// each (A), 6-7 one K chunk of 16 queries each (B). int8: tdpbssd (signed x signed, int32); bf16:
// tdpbf16ps (pairs, float accumulation).
template <bool BF16, class Sink>
__attribute__((target("amx-tile,amx-int8,amx-bf16,avx512f"))) void scan_amx(const Context& c, std::int64_t q0, int nqg,
                                                                           std::int64_t r0, std::int64_t r1, Sink* sinks) {
  constexpr int R = 32;
  const FlatSearchArgs& a = *c.a;
  const std::int64_t elem = BF16 ? 2 : 1;
  const std::int64_t row_bytes = a.dim * elem, padded_bytes = c.dpad * elem;
  const std::int64_t chunks = padded_bytes / 64, lines = chunks * 16;
  const auto* rows = BF16 ? reinterpret_cast<const std::uint8_t*>(a.rows_u16) : reinterpret_cast<const std::uint8_t*>(a.rows_i8);
  TileConfig cfg;
  for (int t = 0; t < 8; ++t) {
    cfg.colsb[t] = 64;
    cfg.rows[t] = 16;
  }
  _tile_loadconfig(&cfg);
  thread_local std::vector<std::uint8_t> scratch;
  thread_local std::vector<float> sc;
  thread_local std::vector<std::int32_t> isc;
  sc.resize(static_cast<std::size_t>(kBlock) * kQPair);
  if (!BF16) isc.resize(sc.size());
  for (std::int64_t b0 = r0; b0 < r1; b0 += kBlock) {
    const std::int64_t b1 = std::min(r1, b0 + kBlock);
    for (int qt = 0; qt < nqg; qt += kQPair) {
      const std::uint8_t* qa = c.qpacked.data() + ((q0 + qt) / 16) * lines * 64;
      const std::uint8_t* qb = qa + lines * 64;
      for (std::int64_t j0 = b0; j0 < b1; j0 += R) {
        const RowTile t = row_tile(rows, row_bytes, padded_bytes, j0, std::min<std::int64_t>(R, b1 - j0), R, scratch);
        _tile_zero(0);
        _tile_zero(1);
        _tile_zero(2);
        _tile_zero(3);
        for (std::int64_t ch = 0; ch < chunks; ++ch) {
          _tile_loadd(4, t.p + ch * 64, t.stride);
          _tile_loadd(5, t.p + 16 * t.stride + ch * 64, t.stride);
          _tile_loadd(6, qa + ch * 16 * 64, 64);
          _tile_loadd(7, qb + ch * 16 * 64, 64);
          if (BF16) {
            _tile_dpbf16ps(0, 4, 6);
            _tile_dpbf16ps(1, 4, 7);
            _tile_dpbf16ps(2, 5, 6);
            _tile_dpbf16ps(3, 5, 7);
          } else {
            _tile_dpbssd(0, 4, 6);
            _tile_dpbssd(1, 4, 7);
            _tile_dpbssd(2, 5, 6);
            _tile_dpbssd(3, 5, 7);
          }
        }
        void* out = BF16 ? static_cast<void*>(sc.data() + (j0 - b0) * kQPair) : static_cast<void*>(isc.data() + (j0 - b0) * kQPair);
        constexpr int kStride = kQPair * 4;
        auto* o = static_cast<std::uint8_t*>(out);
        _tile_stored(0, o, kStride);
        _tile_stored(1, o + 64, kStride);
        _tile_stored(2, o + 16 * kStride, kStride);
        _tile_stored(3, o + 16 * kStride + 64, kStride);
      }
      if (!BF16)
        for (std::int64_t x = 0; x < (b1 - b0) * kQPair; ++x) sc[static_cast<std::size_t>(x)] = static_cast<float>(isc[static_cast<std::size_t>(x)]);
      update_sinks<1, kQPair>(c, q0 + qt, std::min(kQPair, nqg - qt), b0, b1, sc.data(), sinks + qt);
    }
  }
  _tile_release();
}

}  // namespace
#endif

template <class Sink>
bool accel_scan(const Context& c, std::int64_t q0, int nqg, std::int64_t r0, std::int64_t r1, Sink* sinks) {
#if defined(AM_MATRIX_KERNELS)
  if (c.unit == MatrixUnit::Vnni) {
    scan_vnni(c, q0, nqg, r0, r1, sinks);
    return true;
  }
  if (c.unit == MatrixUnit::Amx) {
    if (c.a->storage == RowStorage::BF16)
      scan_amx<true>(c, q0, nqg, r0, r1, sinks);
    else
      scan_amx<false>(c, q0, nqg, r0, r1, sinks);
    return true;
  }
#endif
  return false;
}

template bool accel_scan<Heap>(const Context&, std::int64_t, int, std::int64_t, std::int64_t, Heap*);
template bool accel_scan<RangeSink>(const Context&, std::int64_t, int, std::int64_t, std::int64_t, RangeSink*);

}  // namespace search_detail
}  // namespace audiomill
