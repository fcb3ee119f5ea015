#include "audio/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace audiomill {

std::size_t MemorySource::read(std::uint64_t offset, void* dst, std::size_t n) {
  if (offset >= size_) return 0;
  const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset));
  std::memcpy(dst, data_ + offset, k);
  return k;
}

namespace {
[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw CoreError("IO", what + " '" + path + "': " + std::strerror(errno));
}
}  // namespace

FileSource::FileSource(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) io_error("cannot open", path);
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    const int saved = errno;
    ::close(fd_);
    errno = saved;
    io_error("cannot stat", path);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw CoreError("IO", "'" + path + "' is a directory, not an audio file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileSource::read(std::uint64_t offset, void* dst, std::size_t n) {
  std::size_t done = 0;
  auto* out = static_cast<unsigned char*>(dst);
  while (done < n) {
    const ssize_t r = ::pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw CoreError("IO", std::string("read error: ") + std::strerror(errno));
    }
    if (r == 0) break;  // end of file
    done += static_cast<std::size_t>(r);
  }
  return done;
}

}  // namespace audiomill
