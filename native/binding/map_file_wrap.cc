#include "map_file_wrap.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "convert.h"

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace audiomill {

Napi::Value MapFileJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw_js(env, "INVALID_ARGUMENT", "Expected a file path");
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const auto fail = [&](const char* what) { throw_js(env, "IO", "cannot " + std::string(what) + " '" + path + "': " + std::strerror(errno)); };
#if !defined(_WIN32)
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open");
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    close(fd);
    errno = e;
    fail("stat");
  }
  const std::size_t size = static_cast<std::size_t>(st.st_size);
  if (size == 0) {
    close(fd);
    return Napi::ArrayBuffer::New(env, 0);
  }
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  const int e = errno;
  close(fd);  // the mapping keeps the file
  errno = e;
  if (p == MAP_FAILED) fail("map");
  return Napi::ArrayBuffer::New(env, p, size, [](Napi::Env, void* data, std::size_t* len) {
    munmap(data, *len);
    delete len;
  }, new std::size_t(size));
#else
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) fail("open");
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, size > 0 ? static_cast<std::size_t>(size) : 0);
  const std::size_t got = size > 0 ? std::fread(buf.Data(), 1, static_cast<std::size_t>(size), f) : 0;
  std::fclose(f);
  if (got != static_cast<std::size_t>(size > 0 ? size : 0)) fail("read");
  return buf;
#endif
}

}  // namespace audiomill
