#include "convert.h"

#include <cmath>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace audiomill {

void throw_js(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  throw error;
}

void FloatFree::operator()(float* p) const noexcept {
#ifdef __linux__
  if (mapped_bytes != 0) {
    ::munmap(p, mapped_bytes);
    return;
  }
#endif
  delete[] p;
}

FloatBuffer alloc_floats(std::size_t n) {
#ifdef __linux__
  constexpr std::size_t kMapFrom = std::size_t{4} << 20;
  if (n > 0 && n <= (std::size_t{1} << 60) / sizeof(float) && n * sizeof(float) >= kMapFrom) {
    const std::size_t bytes = n * sizeof(float);
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ::madvise(p, bytes, MADV_HUGEPAGE);  // advice only: ignored where THP is off
    return FloatBuffer(static_cast<float*>(p), FloatFree{bytes});
  }
#endif
  return FloatBuffer(new float[n == 0 ? 1 : n], FloatFree{});
}

Napi::Float32Array adopt_floats(Napi::Env env, FloatBuffer data, std::size_t n) {
  if (n == 0) return Napi::Float32Array::New(env, 0);
  auto* owner = new FloatFree(data.get_deleter());
  Napi::ArrayBuffer buffer;
  try {
    buffer = Napi::ArrayBuffer::New(
        env, data.get(), n * sizeof(float), [](Napi::Env, void* p, FloatFree* f) { (*f)(static_cast<float*>(p)); delete f; },
        owner);
  } catch (...) {
    delete owner;
    throw;
  }
  data.release();  // now owned by the ArrayBuffer's finalizer
  return Napi::Float32Array::New(env, n, buffer, 0);
}

Napi::Float32Array expect_f32(const Napi::Value& value, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw_js(value.Env(), "INVALID_ARGUMENT", std::string("Expected a Float32Array for ") + what);
  }
  return value.As<Napi::Float32Array>();
}

std::vector<float> f32_vector(const Napi::Value& value, const char* what) {
  if (value.IsUndefined() || value.IsNull()) return {};
  Napi::Float32Array arr = expect_f32(value, what);
  return std::vector<float>(arr.Data(), arr.Data() + arr.ElementLength());
}

int threads_of(const Napi::Value& options) {
  if (options.IsUndefined()) return 0;
  return get_int(expect_object(options, "options"), "threads", 0);
}

Napi::Object expect_object(const Napi::Value& value, const char* what) {
  if (!value.IsObject()) throw_js(value.Env(), "INVALID_ARGUMENT", std::string("Expected an options object for ") + what);
  return value.As<Napi::Object>();
}

std::shared_ptr<std::vector<std::string>> expect_paths(const Napi::Value& value) {
  if (!value.IsArray()) throw_js(value.Env(), "INVALID_ARGUMENT", "Expected an array of paths");
  Napi::Array list = value.As<Napi::Array>();
  auto paths = std::make_shared<std::vector<std::string>>();
  paths->reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    const Napi::Value v = list.Get(i);
    if (!v.IsString()) throw_js(value.Env(), "INVALID_ARGUMENT", "Expected an array of paths");
    paths->push_back(v.As<Napi::String>().Utf8Value());
  }
  return paths;
}

F32List expect_f32_list(const Napi::Value& value, const char* what) {
  if (!value.IsArray()) throw_js(value.Env(), "INVALID_ARGUMENT", std::string("Expected an array of Float32Array for ") + what);
  Napi::Array list = value.As<Napi::Array>();
  F32List out;
  out.views.reserve(list.Length());
  out.keep.reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Float32Array x = expect_f32(list.Get(i), what);
    out.views.push_back({x.Data(), static_cast<std::int64_t>(x.ElementLength())});
    out.keep.push_back(x);
  }
  return out;
}

namespace {
Napi::Value field(const Napi::Object& obj, const char* key) { return obj.Get(key); }
}  // namespace

int to_int(const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected a number for ") + what);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || d < -2147483648.0 || d > 2147483647.0)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected an integer for ") + what);
  return static_cast<int>(d);
}

int get_int(const Napi::Object& obj, const char* key, int fallback) {
  Napi::Value v = field(obj, key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  return to_int(v, key);
}

float get_float(const Napi::Object& obj, const char* key, float fallback) {
  Napi::Value v = field(obj, key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsNumber()) throw_js(obj.Env(), "INVALID_ARGUMENT", std::string("Expected a number for ") + key);
  return static_cast<float>(v.As<Napi::Number>().DoubleValue());
}

bool get_bool(const Napi::Object& obj, const char* key, bool fallback) {
  Napi::Value v = field(obj, key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  return v.ToBoolean().Value();
}

std::int64_t get_size(const Napi::Object& obj, const char* key, std::int64_t lo) {
  const int v = get_int(obj, key, -1);
  if (v < lo) throw_js(obj.Env(), "INVALID_ARGUMENT", std::string("Expected an integer >= ") + std::to_string(lo) + " for " + key);
  return v;
}

std::uint64_t get_seed(const Napi::Object& obj, const char* key) {
  const double seed = get_double(obj, key, 0);
  if (!(seed >= 0 && seed <= 9007199254740992.0) || std::floor(seed) != seed)
    throw_js(obj.Env(), "INVALID_ARGUMENT", std::string("Expected an integer in [0, 2^53] for ") + key);
  return static_cast<std::uint64_t>(seed);
}

Napi::Array shape_array(Napi::Env env, const std::vector<std::int64_t>& shape) {
  Napi::Array arr = Napi::Array::New(env, shape.size());
  for (std::size_t i = 0; i < shape.size(); ++i) arr.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(shape[i])));
  return arr;
}

}  // namespace audiomill

namespace audiomill {

double get_double(const Napi::Object& obj, const char* key, double fallback) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw_js(obj.Env(), "INVALID_ARGUMENT", std::string("Expected a number for ") + key);
  return v.As<Napi::Number>().DoubleValue();
}

}  // namespace audiomill
