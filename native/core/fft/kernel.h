// Templated FFT kernels over lane vectors (see util/vec.h and fft/plan.h for
// the data layout). Included by one translation unit per instruction set.
#pragma once
#include <cstddef>
#include <algorithm>

#include "fft/plan.h"
#include "util/vec.h"

namespace audiomill {
inline namespace AUDIOMILL_ISA {

template <class V>
struct Cx {
  V re, im;
};

template <class V>
inline Cx<V> cload(const typename V::T* buf, std::size_t i) {
  return {V::load(buf + 2 * i * V::L), V::load(buf + (2 * i + 1) * V::L)};
}
template <class V>
inline void cstore(typename V::T* buf, std::size_t i, const Cx<V>& c) {
  c.re.store(buf + 2 * i * V::L);
  c.im.store(buf + (2 * i + 1) * V::L);
}
template <class V>
inline Cx<V> cmul_scalar(const Cx<V>& a, typename V::T wr, typename V::T wi) {
  const V r = V::set1(wr), i = V::set1(wi);
  return {fnmadd(a.im, i, a.re * r), fmadd(a.re, i, a.im * r)};
}
template <class V>
inline Cx<V> cadd(const Cx<V>& a, const Cx<V>& b) { return {a.re + b.re, a.im + b.im}; }
template <class V>
inline Cx<V> csub(const Cx<V>& a, const Cx<V>& b) { return {a.re - b.re, a.im - b.im}; }

// Forward butterflies (sign -1), in place on v[0..R).
template <class V>
inline void butterfly2(Cx<V>* v) {
  const Cx<V> a = v[0], b = v[1];
  v[0] = cadd(a, b);
  v[1] = csub(a, b);
}
template <class V>
inline void butterfly4(Cx<V>* v) {
  const Cx<V> t0 = cadd(v[0], v[2]), t1 = csub(v[0], v[2]);
  const Cx<V> t2 = cadd(v[1], v[3]), t3 = csub(v[1], v[3]);
  v[0] = cadd(t0, t2);
  v[2] = csub(t0, t2);
  v[1] = {t1.re + t3.im, t1.im - t3.re};  // t1 - i*t3
  v[3] = {t1.re - t3.im, t1.im + t3.re};  // t1 + i*t3
}
// Radix 8 = two radix-4 halves (even, odd inputs) joined by the eighth roots.
template <class V>
inline void butterfly8(Cx<V>* v) {
  using T = typename V::T;
  Cx<V> e[4] = {v[0], v[2], v[4], v[6]};
  Cx<V> o[4] = {v[1], v[3], v[5], v[7]};
  butterfly4(e);
  butterfly4(o);
  const V h = V::set1(T(0.70710678118654752440));
  // W8^1 o1 = ((a+b) + i(b-a))/sqrt2, W8^2 o2 = (b, -a), W8^3 o3 = ((b-a) - i(a+b))/sqrt2.
  const Cx<V> w1 = {(o[1].re + o[1].im) * h, (o[1].im - o[1].re) * h};
  const Cx<V> w2 = {o[2].im, V::zero() - o[2].re};
  const Cx<V> w3 = {(o[3].im - o[3].re) * h, V::zero() - (o[3].re + o[3].im) * h};
  v[0] = cadd(e[0], o[0]);
  v[4] = csub(e[0], o[0]);
  v[1] = cadd(e[1], w1);
  v[5] = csub(e[1], w1);
  v[2] = cadd(e[2], w2);
  v[6] = csub(e[2], w2);
  v[3] = cadd(e[3], w3);
  v[7] = csub(e[3], w3);
}

template <class V>
inline void butterfly3(Cx<V>* v) {
  using T = typename V::T;
  const V half = V::set1(T(0.5));
  const V s3 = V::set1(T(0.86602540378443864676));
  const Cx<V> t = cadd(v[1], v[2]), d = csub(v[1], v[2]);
  const Cx<V> m = {fnmadd(t.re, half, v[0].re), fnmadd(t.im, half, v[0].im)};
  const Cx<V> s = {d.im * s3, V::zero() - d.re * s3};  // -i * sqrt(3)/2 * d
  v[0] = cadd(v[0], t);
  v[1] = cadd(m, s);
  v[2] = csub(m, s);
}
template <class V>
inline void butterfly5(Cx<V>* v) {
  using T = typename V::T;
  const V c1 = V::set1(T(0.30901699437494742410)), c2 = V::set1(T(-0.80901699437494742410));
  const V s1 = V::set1(T(0.95105651629515357212)), s2 = V::set1(T(0.58778525229247312917));
  const Cx<V> t1 = cadd(v[1], v[4]), t2 = cadd(v[2], v[3]);
  const Cx<V> t3 = csub(v[1], v[4]), t4 = csub(v[2], v[3]);
  const Cx<V> a0 = v[0];
  const Cx<V> m1 = {fmadd(c2, t2.re, fmadd(c1, t1.re, a0.re)), fmadd(c2, t2.im, fmadd(c1, t1.im, a0.im))};
  const Cx<V> m2 = {fmadd(c1, t2.re, fmadd(c2, t1.re, a0.re)), fmadd(c1, t2.im, fmadd(c2, t1.im, a0.im))};
  const Cx<V> n1 = {fmadd(s2, t4.re, s1 * t3.re), fmadd(s2, t4.im, s1 * t3.im)};
  const Cx<V> n2 = {fnmadd(s1, t4.re, s2 * t3.re), fnmadd(s1, t4.im, s2 * t3.im)};
  v[0] = {a0.re + t1.re + t2.re, a0.im + t1.im + t2.im};
  v[1] = {m1.re + n1.im, m1.im - n1.re};
  v[4] = {m1.re - n1.im, m1.im + n1.re};
  v[2] = {m2.re + n2.im, m2.im - n2.re};
  v[3] = {m2.re - n2.im, m2.im + n2.re};
}
template <class V>
inline void butterfly_generic(Cx<V>* v, int radix, const typename V::T* roots, Cx<V>* tmp) {
  for (int q = 0; q < radix; ++q) {
    Cx<V> acc = v[0];
    for (int r = 1; r < radix; ++r) {
      const int k = (r * q) % radix;
      const Cx<V> p = cmul_scalar(v[r], roots[2 * k], roots[2 * k + 1]);
      acc = cadd(acc, p);
    }
    tmp[q] = acc;
  }
  for (int q = 0; q < radix; ++q) v[q] = tmp[q];
}

// One in-place decimation-in-frequency pass: within each span, butterflies
// over elements j + r*m, then twiddles W_span^(j q) on outputs q >= 1.
template <class V, int R>
inline void dif_pass(const typename FftPlan<typename V::T>::Stage& st, int n, typename V::T* buf) {
  using T = typename V::T;
  const int radix = R > 0 ? R : st.radix;
  const int m = st.m;
  Cx<V> v[kMaxDirectRadix], tmp[kMaxDirectRadix];
  const T* tw = st.tw.data();
  for (int base = 0; base < n; base += st.span) {
    for (int j = 0; j < m; ++j) {
      const std::size_t at = static_cast<std::size_t>(base + j);
      for (int r = 0; r < radix; ++r) v[r] = cload<V>(buf, at + static_cast<std::size_t>(r) * m);
      if (R == 2) butterfly2(v);
      else if (R == 3) butterfly3(v);
      else if (R == 4) butterfly4(v);
      else if (R == 5) butterfly5(v);
      else if (R == 8) butterfly8(v);
      else butterfly_generic(v, radix, st.roots.data(), tmp);
      cstore<V>(buf, at, v[0]);
      if (j == 0) {
        for (int q = 1; q < radix; ++q) cstore<V>(buf, at + static_cast<std::size_t>(q) * m, v[q]);
      } else {
        const T* w = tw + 2 * static_cast<std::size_t>(j) * (radix - 1);
        for (int q = 1; q < radix; ++q) {
          cstore<V>(buf, at + static_cast<std::size_t>(q) * m, cmul_scalar(v[q], w[2 * (q - 1)], w[2 * (q - 1) + 1]));
        }
      }
    }
  }
}

template <class V>
typename V::T* bluestein_lanes(const FftPlan<typename V::T>& plan, typename V::T* buf);

// In-place forward FFT on V::L lanes; X[k] ends at element plan.pos[k].
template <class V>
void fft_inplace(const FftPlan<typename V::T>& plan, typename V::T* buf) {
  if (plan.bluestein) {
    bluestein_lanes<V>(plan, buf);
    return;
  }
  for (const auto& st : plan.stages) {
    switch (st.radix) {
      case 2: dif_pass<V, 2>(st, plan.n, buf); break;
      case 3: dif_pass<V, 3>(st, plan.n, buf); break;
      case 4: dif_pass<V, 4>(st, plan.n, buf); break;
      case 5: dif_pass<V, 5>(st, plan.n, buf); break;
      case 8: dif_pass<V, 8>(st, plan.n, buf); break;
      default: dif_pass<V, 0>(st, plan.n, buf); break;
    }
  }
}

// Forward complex FFT of plan.n elements on V::L lanes, natural order: `a`
// holds the input (and is overwritten); the result is written to `b`.
template <class V>
typename V::T* fft_forward(const FftPlan<typename V::T>& plan, typename V::T* a, typename V::T* b) {
  fft_inplace<V>(plan, a);
  const int* pos = plan.pos.data();
  for (int k = 0; k < plan.n; ++k) cstore<V>(b, static_cast<std::size_t>(k), cload<V>(a, static_cast<std::size_t>(pos[k])));
  return b;
}

// Bluestein's algorithm, lane by lane, in double precision.
template <class V>
typename V::T* bluestein_lanes(const FftPlan<typename V::T>& plan, typename V::T* buf) {
  const int n = plan.n, m = plan.m, L = V::L;
  double* const work = bluestein_scratch(4 * static_cast<std::size_t>(m));
  double* const scratch = work + 2 * static_cast<std::size_t>(m);
  const double* w = plan.chirp.data();
  const double* kh = plan.kernel_hat.data();
  for (int lane = 0; lane < L; ++lane) {
    std::fill(work, work + 2 * static_cast<std::size_t>(m), 0.0);
    for (int k = 0; k < n; ++k) {
      const double xr = buf[2 * static_cast<std::size_t>(k) * L + lane];
      const double xi = buf[(2 * static_cast<std::size_t>(k) + 1) * L + lane];
      work[2 * k] = xr * w[2 * k] - xi * w[2 * k + 1];
      work[2 * k + 1] = xr * w[2 * k + 1] + xi * w[2 * k];
    }
    double* f = fft_forward<VD1>(*plan.sub, work, scratch);  // result in scratch
    // Multiply by the kernel spectrum and conjugate, so a forward FFT inverts.
    for (int k = 0; k < m; ++k) {
      const double fr = f[2 * k], fi = f[2 * k + 1];
      const double kr = kh[2 * k], ki = kh[2 * k + 1];
      f[2 * k] = fr * kr - fi * ki;
      f[2 * k + 1] = -(fr * ki + fi * kr);
    }
    double* g = fft_forward<VD1>(*plan.sub, f, work);
    const double inv_m = 1.0 / m;
    for (int k = 0; k < n; ++k) {
      const double gr = g[2 * k] * inv_m, gi = -g[2 * k + 1] * inv_m;  // conj back
      buf[2 * static_cast<std::size_t>(k) * L + lane] =
          static_cast<typename V::T>(gr * w[2 * k] - gi * w[2 * k + 1]);
      buf[(2 * static_cast<std::size_t>(k) + 1) * L + lane] =
          static_cast<typename V::T>(gr * w[2 * k + 1] + gi * w[2 * k]);
    }
  }
  return buf;
}

// Real FFT on lanes. Input: samples placed at plan.sample_offset(m) + lane in
// `a` (imaginary slots zero for odd n); `a` is transformed in place. Calls
// sink(k, X[k]) for k = 0 .. n/2, so callers consume the spectrum (power,
// complex copy) without another pass over memory.
template <class V, class Sink>
void rfft_lanes(const RealFftPlan& plan, float* a, Sink&& sink) {
  fft_inplace<V>(*plan.cplx, a);
  const int* pos = plan.pos();
  if (!plan.even) {
    for (int k = 0; k <= plan.n / 2; ++k) sink(k, cload<V>(a, static_cast<std::size_t>(pos[k])));
    return;
  }
  const int half = plan.n / 2;
  const V h = V::set1(0.5f);
  // k = 0 and k = half use Z[0] only.
  const Cx<V> z0 = cload<V>(a, static_cast<std::size_t>(pos[0]));
  sink(0, Cx<V>{z0.re + z0.im, V::zero()});
  sink(half, Cx<V>{z0.re - z0.im, V::zero()});
  const float* post = plan.post.data();
  for (int k = 1; k <= half / 2; ++k) {
    const int k2 = half - k;
    const Cx<V> zk = cload<V>(a, static_cast<std::size_t>(pos[k]));
    const Cx<V> zm = cload<V>(a, static_cast<std::size_t>(pos[k2]));
    // E = (Z[k] + conj Z[M-k]) / 2, O = (Z[k] - conj Z[M-k]) / 2, X[k] = E - i W^k O.
    const Cx<V> e = {(zk.re + zm.re) * h, (zk.im - zm.im) * h};
    const Cx<V> o = {(zk.re - zm.re) * h, (zk.im + zm.im) * h};
    const V cr = V::set1(post[2 * k]), sr = V::set1(post[2 * k + 1]);
    // -i W^k = (-s, -c):  (-s*o.re + c*o.im, -s*o.im - c*o.re)
    const V tr = fnmadd(sr, o.re, cr * o.im);
    const V ti = V::zero() - fmadd(sr, o.im, cr * o.re);
    sink(k, Cx<V>{e.re + tr, e.im + ti});
    // By symmetry X[M-k] = conj(E - T).
    if (k2 != k) sink(k2, Cx<V>{e.re - tr, V::zero() - (e.im - ti)});
  }
}

}  // namespace AUDIOMILL_ISA
}  // namespace audiomill
