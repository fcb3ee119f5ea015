// statFiles(paths, async): many files examined in one task on a worker thread (one stat(2) each), so a
// dataset walk pays one round trip per batch instead of one per file.
#pragma once
#include <napi.h>

namespace audiomill {

Napi::Value StatFilesJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
