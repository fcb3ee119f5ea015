#include "fft/plan.h"

#include <cmath>
#include <map>
#include <mutex>

#include "fft/kernel.h"
#include "util/error.h"
#include "util/plan_cache.h"
#include "util/vec.h"

namespace audiomill {
namespace {

constexpr double kPi = 3.14159265358979323846264338327950288;

// Factorises n into radices: 8s first (fewest passes), then 4, 2, 3, 5 and
// any other prime. Returns false if a prime factor exceeds kMaxDirectRadix.
bool factorise(int n, std::vector<int>* radices) {
  radices->clear();
  while (n % 8 == 0) { radices->push_back(8); n /= 8; }
  while (n % 4 == 0) { radices->push_back(4); n /= 4; }
  while (n % 2 == 0) { radices->push_back(2); n /= 2; }
  for (int p = 3; p * p <= n; p += 2) {
    while (n % p == 0) { radices->push_back(p); n /= p; }
  }
  if (n > 1) radices->push_back(n);
  for (int r : *radices) {
    if (r > kMaxDirectRadix) return false;
  }
  return true;
}

template <class T>
void build_stages(FftPlan<T>* plan, const std::vector<int>& radices) {
  const int n = plan->n;
  int span = n;
  for (int radix : radices) {
    typename FftPlan<T>::Stage stage;
    stage.radix = radix;
    stage.span = span;
    stage.m = span / radix;
    stage.tw.resize(static_cast<std::size_t>(2) * stage.m * (radix - 1));
    for (int j = 0; j < stage.m; ++j) {
      for (int q = 1; q < radix; ++q) {
        const double angle = -2.0 * kPi * static_cast<double>(j) * q / span;
        const std::size_t at = 2 * (static_cast<std::size_t>(j) * (radix - 1) + (q - 1));
        stage.tw[at] = static_cast<T>(std::cos(angle));
        stage.tw[at + 1] = static_cast<T>(std::sin(angle));
      }
    }
    if (radix != 2 && radix != 3 && radix != 4 && radix != 5 && radix != 8) {
      stage.roots.resize(2 * static_cast<std::size_t>(radix));
      for (int k = 0; k < radix; ++k) {
        const double angle = -2.0 * kPi * k / radix;
        stage.roots[2 * k] = static_cast<T>(std::cos(angle));
        stage.roots[2 * k + 1] = static_cast<T>(std::sin(angle));
      }
    }
    plan->stages.push_back(std::move(stage));
    span /= radix;
  }
  // Output order: a stage of radix R over a span S leaves frequency q + R k'
  // of that span in block q, at q*(S/R) + (position of k' in the sub-span).
  plan->pos.assign(n, 0);
  for (int k = 0; k < n; ++k) {
    int rest = k, at = 0, s = n;
    for (int radix : radices) {
      const int q = rest % radix;
      rest /= radix;
      s /= radix;
      at += q * s;
    }
    plan->pos[k] = at;
  }
}

template <class T>
std::shared_ptr<FftPlan<T>> build_plan(int n) {
  if (n < 1 || n > kMaxFftLength) throw CoreError("INVALID_ARGUMENT", "FFT length must be between 1 and 2^26");
  auto plan = std::make_shared<FftPlan<T>>();
  plan->n = n;
  std::vector<int> radices;
  if (factorise(n, &radices)) {
    build_stages(plan.get(), radices);
    return plan;
  }
  // Bluestein: X[k] = w_k * sum_j (x_j w_j) conj(w_{k-j}), w_k = exp(-i pi k^2 / n).
  plan->bluestein = true;
  plan->pos.resize(n);
  for (int k = 0; k < n; ++k) plan->pos[k] = k;  // Bluestein returns natural order
  int m = 1;
  while (m < 2 * n - 1) m *= 2;
  plan->m = m;
  plan->chirp.resize(2 * static_cast<std::size_t>(n));
  const std::uint64_t two_n = 2 * static_cast<std::uint64_t>(n);
  for (int k = 0; k < n; ++k) {
    const std::uint64_t k2 = (static_cast<std::uint64_t>(k) * k) % two_n;
    const double angle = -kPi * static_cast<double>(k2) / n;
    plan->chirp[2 * k] = std::cos(angle);
    plan->chirp[2 * k + 1] = std::sin(angle);
  }
  auto sub = build_plan<double>(m);
  plan->sub = sub;
  std::vector<double> b(2 * static_cast<std::size_t>(m), 0.0), scratch(2 * static_cast<std::size_t>(m));
  for (int k = 0; k < n; ++k) {
    b[2 * k] = plan->chirp[2 * k];
    b[2 * k + 1] = -plan->chirp[2 * k + 1];
    if (k > 0) {
      b[2 * (m - k)] = plan->chirp[2 * k];
      b[2 * (m - k) + 1] = -plan->chirp[2 * k + 1];
    }
  }
  const double* out = fft_forward<VD1>(*sub, b.data(), scratch.data());
  plan->kernel_hat.assign(out, out + 2 * static_cast<std::size_t>(m));
  return plan;
}

}  // namespace

double* bluestein_scratch(std::size_t n) {
  thread_local std::vector<double> scratch;
  if (scratch.size() < n) scratch.resize(n);
  return scratch.data();
}

template <class T>
std::shared_ptr<const FftPlan<T>> make_fft_plan(int n) {
  return build_plan<T>(n);
}
template std::shared_ptr<const FftPlan<float>> make_fft_plan<float>(int);

std::shared_ptr<const FftPlan<float>> complex_fft_plan(int n) {
  static std::mutex mutex;
  static std::map<int, std::shared_ptr<const FftPlan<float>>> cache;
  return cached_plan(cache, mutex, n, [](int len) { return make_fft_plan<float>(len); });
}

std::shared_ptr<const RealFftPlan> real_fft_plan(int n) {
  static std::mutex mutex;
  static std::map<int, std::shared_ptr<const RealFftPlan>> cache;
  return cached_plan(cache, mutex, n, [](int len) -> std::shared_ptr<const RealFftPlan> {
    if (len < 1 || len > kMaxFftLength) throw CoreError("INVALID_ARGUMENT", "FFT length must be between 1 and 2^26");
    auto plan = std::make_shared<RealFftPlan>();
    plan->n = len;
    plan->even = len % 2 == 0;
    if (plan->even) {
      plan->cplx = complex_fft_plan(len / 2);
      const int half = len / 2;
      plan->post.resize(2 * static_cast<std::size_t>(half + 1));
      for (int k = 0; k <= half; ++k) {
        const double angle = 2.0 * kPi * k / len;
        plan->post[2 * k] = static_cast<float>(std::cos(angle));
        plan->post[2 * k + 1] = static_cast<float>(std::sin(angle));
      }
    } else {
      plan->cplx = complex_fft_plan(len);
    }
    return std::shared_ptr<const RealFftPlan>(plan);
  });
}

}  // namespace audiomill
