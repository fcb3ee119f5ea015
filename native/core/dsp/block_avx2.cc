// avx2 instantiation of the block pipeline; built with the matching compiler flags.
#define AUDIOMILL_ISA isa_avx2
#include "dsp/block_kernel.h"

namespace audiomill {
#if defined(__AVX2__) && defined(__FMA__)
void process_block_avx2(const BlockArgs& args) { process_block<VF8>(args); }
#endif
}  // namespace audiomill
