// Random-access byte sources for the audio readers: a file read with pread (never
// loaded whole) or a caller's memory. Reads past the end return fewer bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace audiomill {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;
  // Copies up to n bytes starting at `offset` into dst; returns how many were copied
  // (0 at or past the end). Throws CoreError("IO") on a read error.
  virtual std::size_t read(std::uint64_t offset, void* dst, std::size_t n) = 0;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(const void* data, std::size_t size) : data_(static_cast<const unsigned char*>(data)), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::size_t read(std::uint64_t offset, void* dst, std::size_t n) override;

 private:
  const unsigned char* data_;
  std::size_t size_;
};

// Opens `path` read-only; throws CoreError("IO") naming the path and the OS reason.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::uint64_t size() const override { return size_; }
  std::size_t read(std::uint64_t offset, void* dst, std::size_t n) override;

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace audiomill
