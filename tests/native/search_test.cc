// Exact search core (search/flat_search.h): edge sizes, filters, exclusion, padding, and the
// thread split, under the sanitizers.
#include <cmath>
#include <cstdint>
#include <vector>

#include "check.h"
#include "search/flat_search.h"
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
}
