// Exact search core (search/flat_search.h): edge sizes, filters, exclusion, padding, and the
// thread split, under the sanitizers.
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "search/flat_search.h"
#include "search/quantize.h"
#include "util/matrix_unit.h"
#include "util/simd.h"

using namespace audiomill;
using amtest::check;

namespace {

// Brute-force best row for query q (inner product, lower row on ties).
std::int64_t best_row(const std::vector<float>& x, std::int64_t n, int dim, const float* q, const std::vector<std::uint8_t>* allow) {
  std::int64_t best = -1;
  double bs = -1e300;
  for (std::int64_t r = 0; r < n; ++r) {
    if (allow && !(*allow)[static_cast<std::size_t>(r)]) continue;
    double s = 0;
    for (int d = 0; d < dim; ++d) s += static_cast<double>(x[static_cast<std::size_t>(r * dim + d)]) * q[d];
    if (s > bs) {
      bs = s;
      best = r;
    }
  }
  return best;
}

}  // namespace

TEST_SUITE(search_tests) {
  for (int dim : {1, 5, 17, 64}) {
    for (std::int64_t n : {1, 7, 300, 1100}) {
      const std::vector<float> x = amtest::noise(static_cast<std::size_t>(n * dim), 3);
      const std::int64_t nq = 13;
      const std::vector<float> q = amtest::noise(static_cast<std::size_t>(nq * dim), 4);
      for (int threads : {1, 2}) {
        FlatSearchArgs a;
        a.rows = x.data();
        a.n = n;
        a.dim = dim;
        a.queries = q.data();
        a.nq = nq;
        a.k = 3;
        std::vector<float> s(static_cast<std::size_t>(nq * a.k));
        std::vector<std::int64_t> id(s.size());
        flat_search(a, s.data(), id.data(), threads);
        bool ok = true;
        for (std::int64_t i = 0; i < nq; ++i) {
          ok = ok && id[static_cast<std::size_t>(i * a.k)] == best_row(x, n, dim, q.data() + i * dim, nullptr);
          for (int j = 0; j < a.k; ++j) {
            const bool padded = j >= n;
            ok = ok && (padded ? id[static_cast<std::size_t>(i * a.k + j)] == -1 && std::isnan(s[static_cast<std::size_t>(i * a.k + j)])
                               : id[static_cast<std::size_t>(i * a.k + j)] >= 0);
          }
        }
        check(ok, "flat_search best row and padding, dim " + std::to_string(dim) + " n " + std::to_string(n));
        // A filter that allows every third row, and each query excluding row 0.
        std::vector<std::uint8_t> allow(static_cast<std::size_t>(n));
        for (std::int64_t r = 0; r < n; ++r) allow[static_cast<std::size_t>(r)] = r % 3 == 0;
        std::vector<std::int64_t> ex(static_cast<std::size_t>(nq), 0);
        a.allow = allow.data();
        a.exclude = ex.data();
        flat_search(a, s.data(), id.data(), threads);
        allow[0] = 0;
        bool fok = true;
        for (std::int64_t i = 0; i < nq; ++i) {
          const std::int64_t want = best_row(x, n, dim, q.data() + i * dim, &allow);
          fok = fok && id[static_cast<std::size_t>(i * a.k)] == want;
          for (int j = 0; j < a.k; ++j) {
            const std::int64_t r = id[static_cast<std::size_t>(i * a.k + j)];
            fok = fok && (r == -1 || (r % 3 == 0 && r != 0));
          }
        }
        check(fok, "flat_search filter and exclusion, dim " + std::to_string(dim) + " n " + std::to_string(n));
      }
    }
  }
  // An empty index pads every result; zero rows are reported by normalize_rows.
  {
    const std::vector<float> q = {1.0f, 0.0f};
    FlatSearchArgs a;
    a.dim = 2;
    a.queries = q.data();
    a.nq = 1;
    a.k = 2;
    float s[2];
    std::int64_t id[2];
    flat_search(a, s, id, 0);
    check(id[0] == -1 && id[1] == -1 && std::isnan(s[0]), "flat_search on no rows pads");
    std::vector<float> z = {3.0f, 4.0f, 0.0f, 0.0f};
    check(normalize_rows(z.data(), 2, 2) == 1 && std::fabs(z[0] - 0.6f) < 1e-7f, "normalize_rows stops at the zero row");
    std::vector<float> bad = {1.0f, NAN};
    check(first_non_finite_row(bad.data(), 1, 2) == 0, "first_non_finite_row finds NaN");
  }
  // L2: distance to itself is 0, ascending order.
  {
    const std::vector<float> x = amtest::noise(50 * 8, 9);
    std::vector<float> norms(50);
    flat_row_norms(x.data(), 50, 8, norms.data());
    FlatSearchArgs a;
    a.rows = x.data();
    a.n = 50;
    a.dim = 8;
    a.row_norms = norms.data();
    a.queries = x.data() + 7 * 8;
    a.nq = 1;
    a.k = 4;
    a.metric = SearchMetric::L2;
    float s[4];
    std::int64_t id[4];
    flat_search(a, s, id, 1);
    check(id[0] == 7 && std::fabs(s[0]) < 1e-5f && s[1] <= s[2] && s[2] <= s[3], "flat_search L2 finds the row itself first");
  }
  // binary16: every finite half survives f16 -> f32 -> f16; the overflow limit is 65520.
  {
    bool ok = true;
    for (std::uint32_t h = 0; h < 65536; ++h) {
      if ((h & 0x7c00u) == 0x7c00u) continue;  // infinities and NaN are never stored
      const float f = f16_to_f32(static_cast<std::uint16_t>(h));
      std::uint16_t back = 0;
      ok = ok && f32_to_f16(&f, 1, &back) == -1 && back == h;
    }
    check(ok, "f16 round trip of every finite half");
    const float big[2] = {65519.0f, 65520.0f};
    std::uint16_t out[2];
    check(f32_to_f16(big, 2, out) == 1 && out[0] == 0x7bff, "f16 overflow starts at 65520");
  }
  // i8 and bf16 rows on every matrix unit: i8 results identical on all (the integer dot products),
  // bf16 on AMX within bf16 rounding of the widened-row kernel; tails in rows, queries and dims.
  {
    const MatrixUnit initial = matrix_unit_cap();
    for (int dim : {5, 64, 100}) {
      const std::int64_t n = 333, nq = 45;
      const std::vector<float> x = amtest::noise(static_cast<std::size_t>(n * dim), 11);
      const std::vector<float> q = amtest::noise(static_cast<std::size_t>(nq * dim), 12);
      std::vector<std::int8_t> codes(x.size());
      std::vector<float> scales(static_cast<std::size_t>(n)), norms(static_cast<std::size_t>(n));
      quantize_i8_rows(x.data(), n, dim, codes.data(), scales.data());
      i8_row_norms(codes.data(), scales.data(), n, dim, norms.data());
      std::vector<std::uint16_t> half(x.size());
      f32_to_bf16(x.data(), x.size(), half.data());
      std::vector<std::uint8_t> allow(static_cast<std::size_t>(n));
      for (std::int64_t r = 0; r < n; ++r) allow[static_cast<std::size_t>(r)] = r % 4 != 1;
      for (SearchMetric metric : {SearchMetric::InnerProduct, SearchMetric::L2}) {
        FlatSearchArgs a;
        a.storage = RowStorage::I8;
        a.rows_i8 = codes.data();
        a.row_scales = scales.data();
        a.row_norms = norms.data();
        a.n = n;
        a.dim = dim;
        a.queries = q.data();
        a.nq = nq;
        a.k = 7;
        a.metric = metric;
        a.allow = allow.data();
        std::vector<float> s0, s;
        std::vector<std::int64_t> id0, id;
        for (MatrixUnit u : {MatrixUnit::None, MatrixUnit::Vnni, MatrixUnit::Amx}) {
          if (!set_matrix_unit(u)) continue;
          for (int threads : {1, 2}) {
            s.assign(static_cast<std::size_t>(nq * a.k), 0.0f);
            id.assign(s.size(), 0);
            flat_search(a, s.data(), id.data(), threads);
            bool allowed = true;
            for (std::int64_t r : id) allowed = allowed && r >= 0 && r % 4 != 1;
            check(allowed, "i8 search honours the filter");
            if (s0.empty()) {
              s0 = s;
              id0 = id;
            } else {
              check(s == s0 && id == id0, std::string("i8 search on ") + matrix_unit_name(u) + " equals the float kernel, dim " + std::to_string(dim));
            }
          }
        }
      }
      FlatSearchArgs b;
      b.storage = RowStorage::BF16;
      b.rows_u16 = half.data();
      b.n = n;
      b.dim = dim;
      b.queries = q.data();
      b.nq = nq;
      b.k = 5;
      std::vector<float> sf(static_cast<std::size_t>(nq * b.k)), sa(sf.size());
      std::vector<std::int64_t> idf(sf.size()), ida(sf.size());
      set_matrix_unit(MatrixUnit::None);
      flat_search(b, sf.data(), idf.data(), 1);
      if (set_matrix_unit(MatrixUnit::Amx)) {
        flat_search(b, sa.data(), ida.data(), 2);
        bool close = true;
        for (std::size_t i = 0; i < sf.size(); ++i) close = close && std::fabs(sf[i] - sa[i]) < 0.02f * (1.0f + std::fabs(sf[i]));
        check(close, "bf16 search on AMX within bf16 rounding, dim " + std::to_string(dim));
      }
    }
    set_matrix_unit(initial);
  }
}
