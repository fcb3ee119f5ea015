// Runtime SIMD dispatch: the widest instruction set the CPU and OS support is
// chosen once at load; AUDIOMILL_SIMD=scalar|neon|avx2|avx512 (or set_simd_level)
// can force a lower level so tests can check that every level agrees.
#pragma once

namespace audiomill {

enum class SimdLevel : int { Scalar = 0, Neon = 1, Avx2 = 2, Avx512 = 3 };

const char* simd_level_name(SimdLevel level);
// Parses a level name; returns false for an unknown name.
bool parse_simd_level(const char* name, SimdLevel* out);
// Highest level this build and this CPU can run.
SimdLevel detected_simd_level();
// Whether `level` can run here (compiled in and supported by the CPU).
bool simd_level_supported(SimdLevel level);
// Level in use now (detected, or the AUDIOMILL_SIMD override read at first use).
SimdLevel active_simd_level();
// Forces a level; returns false (and changes nothing) when it cannot run here.
bool set_simd_level(SimdLevel level);

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
// XCR0: the register state the OS saves (bit 1-2 SSE/AVX, 5-7 AVX-512, 17-18 AMX tiles). Call only
// where CPUID reports OSXSAVE.
unsigned long long read_xcr0();
#endif

}  // namespace audiomill
