// Matrix units some x86 CPUs add beside AVX-512, used by the vector-search kernels for 8- and
// 16-bit rows: AVX512-VNNI (vpdpbusd: 64 int8 products per instruction) and AMX (tile registers
// with an int8 / bf16 matrix multiply, tdpbssd / tdpbf16ps). The best one present is chosen once
// (for AMX, Linux must also grant the process the tile state); AUDIOMILL_MATRIX=none|vnni|amx (or
// set_matrix_unit) caps it so tests can compare every unit. A unit is used only while the active
// SIMD level is avx512 (their kernels use AVX-512 around the matrix instructions).
#pragma once

namespace audiomill {

enum class MatrixUnit : int { None = 0, Vnni = 1, Amx = 2 };

const char* matrix_unit_name(MatrixUnit unit);
// Parses a unit name; returns false for an unknown name.
bool parse_matrix_unit(const char* name, MatrixUnit* out);
// The best unit this build, this CPU and this OS can run.
MatrixUnit detected_matrix_unit();
// Whether `unit` can run here (None always can).
bool matrix_unit_supported(MatrixUnit unit);
// The unit kernels may use now: the cap (detected, AUDIOMILL_MATRIX or set_matrix_unit), and None
// unless the active SIMD level is avx512.
MatrixUnit active_matrix_unit();
// The cap set by AUDIOMILL_MATRIX or set_matrix_unit (whatever the SIMD level).
MatrixUnit matrix_unit_cap();
// Caps the unit; returns false (and changes nothing) when it cannot run here.
bool set_matrix_unit(MatrixUnit unit);

}  // namespace audiomill
