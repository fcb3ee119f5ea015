// JS class `WavFile`: an open WAV source (a path read with pread, or a caller's bytes
// kept referenced) and its parsed header; reads spans sync or on a worker thread.
#pragma once
#include <napi.h>

#include <memory>

#include "audio/byte_source.h"
#include "audio/wav.h"

namespace audiomill {

class WavFileWrap : public Napi::ObjectWrap<WavFileWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit WavFileWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Read(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  std::shared_ptr<ByteSource> source_;
  Napi::ObjectReference bytes_;  // keeps a memory source's buffer alive
  WavInfo info_;
};

// wavStatsFiles(paths, options, async), wavPooledFeatures(paths, options, async): see wav_wrap.cc.
Napi::Value WavStatsFilesJs(const Napi::CallbackInfo& info);
Napi::Value WavPooledFeaturesJs(const Napi::CallbackInfo& info);

}  // namespace audiomill
