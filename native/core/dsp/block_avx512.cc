// avx512 instantiation of the block pipeline; built with the matching compiler flags.
#define AUDIOMILL_ISA isa_avx512
#include "dsp/block_kernel.h"

namespace audiomill {
#if defined(__AVX512F__)
void process_block_avx512(const BlockArgs& args) { process_block<VF16>(args); }
#endif
}  // namespace audiomill
