// The core's seeded random numbers: xoshiro256** seeded through splitmix64. One stream per seed, the same on every
// machine; the draws are audiomill's own (not NumPy's, scikit-learn's or umap-learn's).
#pragma once
#include <cstdint>
#include <limits>

namespace audiomill {

// splitmix64: advances z and returns the next well-mixed value (also how seeds are derived from seeds).
inline std::uint64_t splitmix(std::uint64_t& z) {
  std::uint64_t r = (z += 0x9E3779B97F4A7C15ULL);
  r = (r ^ (r >> 30)) * 0xBF58476D1CE4E5B9ULL;
  r = (r ^ (r >> 27)) * 0x94D049BB133111EBULL;
  return r ^ (r >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix(seed);
  }
  std::uint64_t next() {
    const std::uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }
  // Uniform in [0, n), n >= 1, without modulo bias.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t r;
    do r = next();
    while (r >= limit);
    return r % n;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace audiomill
