// mapFile(path) -> ArrayBuffer over the file's bytes, memory-mapped (read-only pages shared with the
// page cache; copy-on-write if written), unmapped when the buffer is collected. VectorIndex.load's
// { mmap: true } reads its rows in place from it. Where mmap is unavailable (Windows) the file is read.
#pragma once
#include <napi.h>

namespace audiomill {

Napi::Value MapFileJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
