// neon instantiation of the block pipeline; built with the matching compiler flags.
#define AUDIOMILL_ISA isa_neon
#include "dsp/block_kernel.h"

namespace audiomill {
#if defined(__ARM_NEON) && defined(__aarch64__)
void process_block_neon(const BlockArgs& args) { process_block<VF4>(args); }
#endif
}  // namespace audiomill
