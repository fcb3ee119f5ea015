// Search kernels on a CPU's matrix unit (util/matrix_unit.h), for i8 rows (AVX512-VNNI or AMX int8)
// and bf16 rows (AMX bf16). Internal to flat_search.cc.
#pragma once
#include <cstdint>

#include "search/scan.h"

namespace audiomill {
namespace search_detail {

// Chooses the unit a search runs on (None when no kernel here applies to its storage) and packs
// the queries for it.
void prepare_accel(Context& c);

// Scans queries [q0, q0 + nqg) (one query group, q0 a multiple of kQueryGroup) against rows
// [r0, r1) into sinks[0 .. nqg) on c.unit; false (doing nothing) when c.unit is None.
template <class Sink>
bool accel_scan(const Context& c, std::int64_t q0, int nqg, std::int64_t r0, std::int64_t r1, Sink* sinks);

}  // namespace search_detail
}  // namespace audiomill
