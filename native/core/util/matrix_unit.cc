#include "util/matrix_unit.h"

#include <atomic>
#include <initializer_list>
#include <cstdlib>
#include <cstring>

#include "util/simd.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define AUDIOMILL_X86_64 1
#include <cpuid.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif
#endif

namespace audiomill {
namespace {

#if defined(AUDIOMILL_X86_64)
// Linux hands out the AMX tile data state (XTILEDATA, state component 18) only on request.
bool amx_permitted() {
#if defined(__linux__)
  constexpr long kArchReqXcompPerm = 0x1023;
  constexpr long kXfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
#else
  return false;
#endif
}

MatrixUnit probe() {
  if (detected_simd_level() != SimdLevel::Avx512) return MatrixUnit::None;
  unsigned int a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return MatrixUnit::None;
  const bool vnni = (c & (1u << 11)) != 0;
  const bool amx = (d & (1u << 24)) && (d & (1u << 25)) && (d & (1u << 22));  // tile, int8, bf16
  const bool tile_state = (read_xcr0() & 0x60000ull) == 0x60000ull;  // XTILECFG and XTILEDATA
  if (amx && vnni && tile_state && amx_permitted()) return MatrixUnit::Amx;
  return vnni ? MatrixUnit::Vnni : MatrixUnit::None;
}
#else
MatrixUnit probe() { return MatrixUnit::None; }
#endif

MatrixUnit detected() {
  static const MatrixUnit unit = probe();
  return unit;
}

std::atomic<int>& cap() {
  static std::atomic<int> value{[] {
    MatrixUnit unit = detected();
    const char* env = std::getenv("AUDIOMILL_MATRIX");
    MatrixUnit forced;
    if (env != nullptr && *env != '\0' && parse_matrix_unit(env, &forced) && matrix_unit_supported(forced)) unit = forced;
    return static_cast<int>(unit);
  }()};
  return value;
}

}  // namespace

const char* matrix_unit_name(MatrixUnit unit) {
  switch (unit) {
    case MatrixUnit::Vnni: return "vnni";
    case MatrixUnit::Amx: return "amx";
    default: return "none";
  }
}

bool parse_matrix_unit(const char* name, MatrixUnit* out) {
  for (MatrixUnit u : {MatrixUnit::None, MatrixUnit::Vnni, MatrixUnit::Amx}) {
    if (std::strcmp(matrix_unit_name(u), name) == 0) {
      *out = u;
      return true;
    }
  }
  return false;
}

MatrixUnit detected_matrix_unit() { return detected(); }

// AMX machines have VNNI too (every CPU with AMX-INT8 has AVX512-VNNI).
bool matrix_unit_supported(MatrixUnit unit) { return static_cast<int>(unit) <= static_cast<int>(detected()); }

MatrixUnit matrix_unit_cap() { return static_cast<MatrixUnit>(cap().load()); }

MatrixUnit active_matrix_unit() {
  return active_simd_level() == SimdLevel::Avx512 ? matrix_unit_cap() : MatrixUnit::None;
}

bool set_matrix_unit(MatrixUnit unit) {
  if (!matrix_unit_supported(unit)) return false;
  cap().store(static_cast<int>(unit));
  return true;
}

}  // namespace audiomill
