// Portable scalar instantiation of the block pipeline (one frame per call).
#include "dsp/block_kernel.h"

namespace audiomill {
void process_block_scalar(const BlockArgs& args) { process_block<VF1>(args); }
}  // namespace audiomill
