// Error type thrown by the pure C++ core. The binding turns it into a JS error
// carrying `code`, which the TypeScript layer wraps as AudiomillError.
#pragma once
#include <stdexcept>
#include <string>

namespace audiomill {

class CoreError : public std::runtime_error {
 public:
  CoreError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

}  // namespace audiomill
