// Dense float64 kernels (core linalg/dense.h) for src/linalg/: synchronous calls on the caller's thread (which may be a
// worker thread), each parallel on the native pool.
#pragma once
#include <napi.h>

namespace audiomill {

Napi::Value LinalgGemmNtJs(const Napi::CallbackInfo& info);
Napi::Value LinalgGramColsJs(const Napi::CallbackInfo& info);
Napi::Value LinalgGemmTnRowsJs(const Napi::CallbackInfo& info);
Napi::Value LinalgAddScaledRowJs(const Napi::CallbackInfo& info);
Napi::Value LinalgTransposeJs(const Napi::CallbackInfo& info);
Napi::Value LinalgRidgeLooJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
