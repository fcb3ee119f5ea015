#include "fs_wrap.h"

#include <cerrno>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "task.h"

#ifndef _WIN32
#include <sys/stat.h>
#endif

namespace audiomill {

// statFiles(paths: string[], async) -> Float64Array (or its Promise) of 3 numbers per path, as fs.stat sees it
// (symbolic links followed): [kind, size, mtimeMs] with kind 1 a regular file, 2 a folder, 3 anything else,
// 0 missing (ENOENT, ENOTDIR: a dangling link), -1 any other failure (the caller asks fs.stat for the error; on
// Windows every path is -1). mtimeMs is Node's (seconds * 1e3 + nanoseconds / 1e6, in doubles) floored.
Napi::Value StatFilesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::shared_ptr<std::vector<std::string>> paths = expect_paths(info[0]);
  const bool async = info[1].ToBoolean().Value();
  auto out = std::make_shared<std::vector<double>>(paths->size() * 3, -1.0);
  return run_task(
      env, async, "audiomill:stat-files",
      [paths, out] {
#ifndef _WIN32
        for (std::size_t i = 0; i < paths->size(); ++i) {
          struct stat st;
          double* r = out->data() + 3 * i;
          if (::stat((*paths)[i].c_str(), &st) != 0) {
            r[0] = (errno == ENOENT || errno == ENOTDIR) ? 0.0 : -1.0;
            continue;
          }
          r[0] = S_ISREG(st.st_mode) ? 1.0 : S_ISDIR(st.st_mode) ? 2.0 : 3.0;
          r[1] = static_cast<double>(st.st_size);
#if defined(__APPLE__)
          const double sec = static_cast<double>(st.st_mtimespec.tv_sec), nsec = static_cast<double>(st.st_mtimespec.tv_nsec);
#else
          const double sec = static_cast<double>(st.st_mtim.tv_sec), nsec = static_cast<double>(st.st_mtim.tv_nsec);
#endif
          r[2] = std::floor(sec * 1e3 + nsec / 1e6);
        }
#endif
      },
      [out](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Float64Array a = Napi::Float64Array::New(e, out->size());
        for (std::size_t i = 0; i < out->size(); ++i) a[i] = (*out)[i];
        return a;
      });
}

}  // namespace audiomill
