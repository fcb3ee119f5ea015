// Conversions between N-API values and core types, and error translation.
#pragma once
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/error.h"

namespace audiomill {

// Throws a JS Error carrying `code` (the TypeScript layer wraps it as AudiomillError).
[[noreturn]] void throw_js(Napi::Env env, const std::string& code, const std::string& message);

// Runs fn, translating core and standard exceptions into JS errors with a code.
template <class F>
auto guarded(Napi::Env env, F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const CoreError& e) {
    throw_js(env, e.code(), e.what());
  } catch (const std::bad_alloc&) {
    throw_js(env, "OUT_OF_MEMORY", "out of memory");
  } catch (const std::exception& e) {
    throw_js(env, "INTERNAL", e.what());
  }
}

// Frees what alloc_floats allocated: large buffers are their own mappings.
struct FloatFree {
  std::size_t mapped_bytes = 0;  // 0: operator new[]
  void operator()(float* p) const noexcept;
};
using FloatBuffer = std::unique_ptr<float[], FloatFree>;

// Uninitialised floats allocated natively (on any thread) and handed to JS without a
// copy or a zero fill: the main thread never touches the pages. Buffers of 4 MiB and
// more are mapped with transparent huge pages where the OS offers them: first-touch
// page faults dominate writing a fresh output (on the VM measured, 2x fewer ms per MB).
FloatBuffer alloc_floats(std::size_t n);
// Wraps `data` (n floats from alloc_floats, released into JS ownership) as a Float32Array.
Napi::Float32Array adopt_floats(Napi::Env env, FloatBuffer data, std::size_t n);

Napi::Float32Array expect_f32(const Napi::Value& value, const char* what);
std::vector<float> f32_vector(const Napi::Value& value, const char* what);
// A 32-bit integer, or an INVALID_ARGUMENT error naming `what`.
int to_int(const Napi::Value& value, const char* what);
int get_int(const Napi::Object& obj, const char* key, int fallback);
float get_float(const Napi::Object& obj, const char* key, float fallback);
double get_double(const Napi::Object& obj, const char* key, double fallback);
bool get_bool(const Napi::Object& obj, const char* key, bool fallback);
// obj[key] as a seed: an integer in [0, 2^53] (default 0), else INVALID_ARGUMENT.
std::uint64_t get_seed(const Napi::Object& obj, const char* key);
Napi::Array shape_array(Napi::Env env, const std::vector<std::int64_t>& shape);

// obj[key] as a size: an integer in [lo, 2^31) (an absent key counts as -1), else INVALID_ARGUMENT.
std::int64_t get_size(const Napi::Object& obj, const char* key, std::int64_t lo);

// The typed array of each element type a binding takes, and its name in messages.
template <class T>
struct TypedKind;
template <>
struct TypedKind<float> {
  static constexpr napi_typedarray_type type = napi_float32_array;
  static constexpr const char* name = "a Float32Array";
};
template <>
struct TypedKind<double> {
  static constexpr napi_typedarray_type type = napi_float64_array;
  static constexpr const char* name = "a Float64Array";
};
template <>
struct TypedKind<std::int32_t> {
  static constexpr napi_typedarray_type type = napi_int32_array;
  static constexpr const char* name = "an Int32Array";
};
template <>
struct TypedKind<std::uint32_t> {
  static constexpr napi_typedarray_type type = napi_uint32_array;
  static constexpr const char* name = "a Uint32Array";
};
template <>
struct TypedKind<std::uint16_t> {
  static constexpr napi_typedarray_type type = napi_uint16_array;
  static constexpr const char* name = "a Uint16Array";
};
template <>
struct TypedKind<std::uint8_t> {
  static constexpr napi_typedarray_type type = napi_uint8_array;
  static constexpr const char* name = "a Uint8Array";
};
template <>
struct TypedKind<std::int8_t> {
  static constexpr napi_typedarray_type type = napi_int8_array;
  static constexpr const char* name = "an Int8Array";
};

// An argument that must be a typed array of T holding at least `need` values (else INVALID_ARGUMENT naming `what`).
template <class T>
Napi::TypedArrayOf<T> expect_typed(const Napi::Value& v, const char* what, std::int64_t need = 0) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != TypedKind<T>::type)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected ") + TypedKind<T>::name + " for " + what);
  Napi::TypedArrayOf<T> a = v.As<Napi::TypedArrayOf<T>>();
  if (static_cast<std::int64_t>(a.ElementLength()) < need)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected at least ") + std::to_string(need) + " values in " + what + ", got " +
                                              std::to_string(a.ElementLength()));
  return a;
}

// The first n values of a typed array, copied (for work that must not read arrays JS could change meanwhile).
template <class T>
std::vector<T> vector_of(const Napi::TypedArrayOf<T>& a, std::size_t n) {
  return std::vector<T>(a.Data(), a.Data() + n);
}

// A new typed array holding a copy of v.
template <class T>
Napi::TypedArrayOf<T> typed_copy(Napi::Env env, const std::vector<T>& v) {
  Napi::TypedArrayOf<T> a = Napi::TypedArrayOf<T>::New(env, v.size());
  std::copy(v.begin(), v.end(), a.Data());
  return a;
}

// The `threads` of a method's options object ({ threads?: number }, or undefined): 0 means the global cap.
int threads_of(const Napi::Value& options);

// The options object of a native entry point (else INVALID_ARGUMENT naming `what`).
Napi::Object expect_object(const Napi::Value& value, const char* what);

// The native object of an argument that must be an instance of the wrapped class `Wrap` (which tags its instances
// with Wrap::kTypeTag, Node-API 8 type tags), else INVALID_ARGUMENT "Expected <what> for <key>": an object of another
// class is refused, never reinterpreted.
template <class Wrap>
Wrap* unwrap_tagged(const Napi::Value& v, const char* key, const char* what) {
  Wrap* w = nullptr;
  if (v.IsObject() && v.As<Napi::Object>().CheckTypeTag(&Wrap::kTypeTag)) w = Napi::ObjectWrap<Wrap>::Unwrap(v.As<Napi::Object>());
  if (w == nullptr) throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected ") + what + " for " + key);
  return w;
}

// An array of path strings, as UTF-8 (else INVALID_ARGUMENT), shared with the work that will read them.
std::shared_ptr<std::vector<std::string>> expect_paths(const Napi::Value& value);

// One Float32Array of an array argument: its data and its length, read once (native work never reads past that
// length, whatever a getter does later).
struct F32View {
  const float* x;
  std::int64_t n;
};
// An array of Float32Arrays (else INVALID_ARGUMENT naming `what`): their views, and the arrays for the task to keep
// alive while its work reads them.
struct F32List {
  std::vector<F32View> views;
  std::vector<Napi::Value> keep;
};
F32List expect_f32_list(const Napi::Value& value, const char* what);

// Enums cross the boundary by name: each binding lists the names of one core enum once, and the
// TypeScript side (src/native/binding.ts) declares the same names as a string union.
template <class E>
struct EnumName {
  const char* name;
  E value;
};

// obj[key] as one of `names` (`fallback` when undefined); any other value is an INVALID_ARGUMENT
// error that lists the names.
template <class E, std::size_t N>
E get_enum(const Napi::Object& obj, const char* key, const EnumName<E> (&names)[N], E fallback) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  if (v.IsString()) {
    const std::string s = v.As<Napi::String>().Utf8Value();
    for (const EnumName<E>& n : names)
      if (s == n.name) return n.value;
  }
  std::string list;
  for (const EnumName<E>& n : names) list += (list.empty() ? "'" : ", '") + std::string(n.name) + "'";
  throw_js(obj.Env(), "INVALID_ARGUMENT", std::string("Expected one of ") + list + " for " + key);
}

}  // namespace audiomill
