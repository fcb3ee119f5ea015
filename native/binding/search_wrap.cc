#include "search_wrap.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "convert.h"
#include "search/flat_search.h"
#include "search/quantize.h"
#include "task.h"

namespace audiomill {
namespace {

std::int64_t to_i64(const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected a number for ") + what);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<std::int64_t>(d)))
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected a non-negative integer for ") + what);
  return static_cast<std::int64_t>(d);
}

// The napi type and name of each typed array the search arguments use.
template <class A>
struct Kind;
template <>
struct Kind<Napi::Float32Array> {
  static constexpr napi_typedarray_type type = napi_float32_array;
  static constexpr const char* name = "Float32Array";
};
template <>
struct Kind<Napi::Float64Array> {
  static constexpr napi_typedarray_type type = napi_float64_array;
  static constexpr const char* name = "Float64Array";
};
template <>
struct Kind<Napi::Uint16Array> {
  static constexpr napi_typedarray_type type = napi_uint16_array;
  static constexpr const char* name = "Uint16Array";
};
template <>
struct Kind<Napi::Uint8Array> {
  static constexpr napi_typedarray_type type = napi_uint8_array;
  static constexpr const char* name = "Uint8Array";
};
template <>
struct Kind<Napi::Int8Array> {
  static constexpr napi_typedarray_type type = napi_int8_array;
  static constexpr const char* name = "Int8Array";
};

// A typed array of type A holding at least `count` elements (else an INVALID_ARGUMENT naming `what`).
template <class A>
A typed(const Napi::Value& v, std::int64_t count, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != Kind<A>::type)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string("Expected a ") + Kind<A>::name + " for " + what);
  A a = v.As<A>();
  if (static_cast<std::int64_t>(a.ElementLength()) < count)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string(what) + " holds fewer than " + std::to_string(count) + " values");
  return a;
}

// A new typed array holding a copy of v.
template <class A, class T>
A typed_copy(Napi::Env env, const std::vector<T>& v) {
  A a = A::New(env, v.size());
  if (!v.empty()) std::memcpy(a.Data(), v.data(), v.size() * sizeof(T));
  return a;
}

RowStorage storage_of(const Napi::Value& v) {
  const int s = to_int(v, "storage");
  if (s < 0 || s > 3) throw_js(v.Env(), "INVALID_ARGUMENT", "storage must be 0 (f32), 1 (bf16), 2 (f16) or 3 (i8)");
  return static_cast<RowStorage>(s);
}

// Stored rows (n x dim) in the storage's array type (Float32Array, Uint16Array, Int8Array + scales).
void set_stored_rows(const Napi::Value& rows, const Napi::Value& storage, const Napi::Value& scales, std::int64_t n, int dim,
                     FlatSearchArgs& args, std::vector<Napi::Value>& keep) {
  args.storage = storage_of(storage);
  const std::int64_t count = n * dim;
  switch (args.storage) {
    case RowStorage::F32: args.rows = typed<Napi::Float32Array>(rows, count, "rows").Data(); break;
    case RowStorage::BF16:
    case RowStorage::F16: args.rows_u16 = typed<Napi::Uint16Array>(rows, count, "rows").Data(); break;
    case RowStorage::I8:
      args.rows_i8 = typed<Napi::Int8Array>(rows, count, "rows").Data();
      args.row_scales = typed<Napi::Float32Array>(scales, n, "rowScales").Data();
      keep.push_back(scales);
      break;
  }
  keep.push_back(rows);
}

}  // namespace

namespace {

// The arguments flatSearch and flatRangeSearch share (all but info[6]: k or the threshold).
struct ParsedSearch {
  std::shared_ptr<FlatSearchArgs> args = std::make_shared<FlatSearchArgs>();
  std::shared_ptr<std::vector<std::int64_t>> exclude = std::make_shared<std::vector<std::int64_t>>();
  std::vector<Napi::Value> keep;
  int threads = 0;
  bool async = false;
};

ParsedSearch parse_search(const Napi::CallbackInfo& info, const char* name) {
  Napi::Env env = info.Env();
  if (info.Length() < 14) throw_js(env, "INVALID_ARGUMENT", std::string(name) + " needs 14 arguments");
  ParsedSearch p;
  FlatSearchArgs* args = p.args.get();
  std::vector<Napi::Value>& keep = p.keep;
  args->n = to_i64(info[1], "n");
  args->dim = to_int(info[2], "dim");
  if (args->dim < 1) throw_js(env, "INVALID_ARGUMENT", "dim must be positive");
  set_stored_rows(info[0], info[12], info[13], args->n, args->dim, *args, keep);
  if (!info[3].IsUndefined()) {
    Napi::Float32Array norms = typed<Napi::Float32Array>(info[3], args->n, "rowNorms");
    args->row_norms = norms.Data();
    keep.push_back(norms);
  }
  args->nq = to_i64(info[5], "nq");
  Napi::Float32Array queries = typed<Napi::Float32Array>(info[4], args->nq * args->dim, "queries");
  args->queries = queries.Data();
  keep.push_back(queries);
  const int metric = to_int(info[7], "metric");
  if (metric != 0 && metric != 1) throw_js(env, "INVALID_ARGUMENT", "metric must be 0 (inner product) or 1 (L2)");
  args->metric = static_cast<SearchMetric>(metric);
  if (args->metric == SearchMetric::L2 && !args->row_norms && args->n > 0) throw_js(env, "INVALID_ARGUMENT", "L2 needs rowNorms");
  if (!info[8].IsUndefined()) {
    Napi::Uint8Array allow = typed<Napi::Uint8Array>(info[8], args->n, "allow");
    args->allow = allow.Data();
    keep.push_back(allow);
  }
  std::vector<std::int64_t>* exclude = p.exclude.get();
  if (!info[9].IsUndefined()) {
    Napi::Float64Array ex = typed<Napi::Float64Array>(info[9], args->nq, "exclude");
    exclude->resize(static_cast<std::size_t>(args->nq));
    for (std::int64_t q = 0; q < args->nq; ++q) (*exclude)[static_cast<std::size_t>(q)] = static_cast<std::int64_t>(ex[static_cast<std::size_t>(q)]);
    args->exclude = exclude->data();
  }
  p.threads = info[10].IsUndefined() ? 0 : to_int(info[10], "threads");
  p.async = info[11].ToBoolean().Value();
  return p;
}

}  // namespace

Napi::Value FlatSearchJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedSearch p = parse_search(info, "flatSearch");
  auto args = p.args;
  auto exclude = p.exclude;
  const int threads = p.threads;
  args->k = to_int(info[6], "k");
  if (args->k < 1) throw_js(env, "INVALID_ARGUMENT", "k must be positive");
  // Optional exact re-ranking: float32 rows (info[14]) and the results kept per query (info[15]).
  const float* exact = nullptr;
  int k_out = args->k;
  if (info.Length() > 15 && !info[14].IsUndefined()) {
    exact = typed<Napi::Float32Array>(info[14], args->n * args->dim, "exactRows").Data();
    p.keep.push_back(info[14]);
    k_out = to_int(info[15], "kOut");
    if (k_out < 1 || k_out > args->k) throw_js(env, "INVALID_ARGUMENT", "kOut must be between 1 and k");
  }
  struct Baton {
    FloatBuffer scores;
    std::vector<std::int32_t> ids;
  };
  auto baton = std::make_shared<Baton>();
  const std::size_t count = static_cast<std::size_t>(args->nq) * static_cast<std::size_t>(k_out);
  return run_task(
      env, p.async, "audiomill:flat-search",
      [args, exclude, baton, threads, count, exact, k_out] {
        baton->scores = alloc_floats(count);
        std::vector<std::int64_t> ids(count);
        if (exact) {
          const std::size_t scan = static_cast<std::size_t>(args->nq) * static_cast<std::size_t>(args->k);
          std::vector<float> s(scan);
          std::vector<std::int64_t> cand(scan);
          flat_search(*args, s.data(), cand.data(), threads);
          rerank_exact(exact, args->dim, args->queries, args->nq, cand.data(), args->k, k_out, args->metric, baton->scores.get(), ids.data(), threads);
        } else {
          flat_search(*args, baton->scores.get(), ids.data(), threads);
        }
        baton->ids.assign(ids.begin(), ids.end());
      },
      [baton, count](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Object out = Napi::Object::New(e);
        out.Set("scores", adopt_floats(e, std::move(baton->scores), count));
        Napi::Int32Array ids = Napi::Int32Array::New(e, count);
        if (count) std::memcpy(ids.Data(), baton->ids.data(), count * sizeof(std::int32_t));
        out.Set("ids", ids);
        return out;
      },
      p.keep);
}

Napi::Value FlatRangeSearchJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedSearch p = parse_search(info, "flatRangeSearch");
  if (!info[6].IsNumber()) throw_js(env, "INVALID_ARGUMENT", "Expected a number for threshold");
  const float threshold = info[6].As<Napi::Number>().FloatValue();
  struct Baton {
    std::vector<std::int64_t> lims, ids;
    std::vector<float> scores;
  };
  auto baton = std::make_shared<Baton>();
  auto args = p.args;
  auto exclude = p.exclude;
  const int threads = p.threads;
  return run_task(
      env, p.async, "audiomill:flat-range-search",
      [args, exclude, baton, threads, threshold] { flat_range_search(*args, threshold, baton->lims, baton->scores, baton->ids, threads); },
      [baton](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Object out = Napi::Object::New(e);
        Napi::Float64Array lims = Napi::Float64Array::New(e, baton->lims.size());
        for (std::size_t i = 0; i < baton->lims.size(); ++i) lims[i] = static_cast<double>(baton->lims[i]);
        Napi::Int32Array ids = Napi::Int32Array::New(e, baton->ids.size());
        for (std::size_t i = 0; i < baton->ids.size(); ++i) ids[i] = static_cast<std::int32_t>(baton->ids[i]);
        Napi::Float32Array scores = Napi::Float32Array::New(e, baton->scores.size());
        if (!baton->scores.empty()) std::memcpy(scores.Data(), baton->scores.data(), baton->scores.size() * sizeof(float));
        out.Set("lims", lims);
        out.Set("ids", ids);
        out.Set("scores", scores);
        return out;
      },
      p.keep);
}

namespace {

// The (x, n, dim) arguments of the row helpers: x a Float32Array holding n rows of dim values.
struct RowsArg {
  Napi::Float32Array x;
  std::int64_t n;
  int dim;
};

RowsArg rows_arg(const Napi::CallbackInfo& info) {
  const std::int64_t n = to_i64(info[1], "n");
  const int dim = to_int(info[2], "dim");
  if (dim < 1) throw_js(info.Env(), "INVALID_ARGUMENT", "dim must be positive");
  return {typed<Napi::Float32Array>(info[0], n * dim, "x"), n, dim};
}

}  // namespace

Napi::Value FirstNonFiniteRowJs(const Napi::CallbackInfo& info) {
  RowsArg r = rows_arg(info);
  return Napi::Number::New(info.Env(), static_cast<double>(first_non_finite_row(r.x.Data(), r.n, r.dim)));
}


Napi::Value StoredRowNormsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::int64_t n = to_i64(info[1], "n");
  const int dim = to_int(info[2], "dim");
  if (dim < 1) throw_js(env, "INVALID_ARGUMENT", "dim must be positive");
  FlatSearchArgs a;
  std::vector<Napi::Value> keep;
  set_stored_rows(info[0], info[3], info[4], n, dim, a, keep);
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<std::size_t>(n));
  switch (a.storage) {
    case RowStorage::F32: flat_row_norms(a.rows, n, dim, out.Data()); break;
    case RowStorage::BF16: bf16_row_norms(a.rows_u16, n, dim, out.Data()); break;
    case RowStorage::F16: f16_row_norms(a.rows_u16, n, dim, out.Data()); break;
    case RowStorage::I8: i8_row_norms(a.rows_i8, a.row_scales, n, dim, out.Data()); break;
  }
  return out;
}

Napi::Value PrepareRowsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RowsArg r = rows_arg(info);
  const int flags = to_int(info[3], "flags");
  const RowStorage storage = static_cast<RowStorage>((flags >> 8) & 3);
  const bool async = info.Length() > 4 && info[4].ToBoolean().Value();
  struct Baton {
    std::int64_t non_finite = -1, zero = -1, overflow = -1;
    std::vector<std::uint16_t> half;
    std::vector<std::int8_t> codes;
    std::vector<float> scales, norms;
  };
  auto baton = std::make_shared<Baton>();
  float* x = r.x.Data();
  const std::int64_t n = r.n;
  const int dim = r.dim;
  return run_task(
      env, async, "audiomill:prepare-rows",
      [baton, x, n, dim, flags, storage] {
        Baton& b = *baton;
        b.non_finite = first_non_finite_row(x, n, dim);
        if (b.non_finite >= 0) return;
        if (flags & 1) {
          b.zero = normalize_rows(x, n, dim);
          if (b.zero >= 0) return;
        }
        const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(dim);
        const std::size_t rows = static_cast<std::size_t>(n);
        switch (storage) {
          case RowStorage::BF16:
            b.half.resize(count);
            f32_to_bf16(x, count, b.half.data());
            break;
          case RowStorage::F16: {
            b.half.resize(count);
            const std::int64_t at = f32_to_f16(x, count, b.half.data());
            if (at >= 0) {
              b.overflow = at / dim;
              return;
            }
            break;
          }
          case RowStorage::I8:
            b.codes.resize(count);
            b.scales.resize(rows);
            quantize_i8_rows(x, n, dim, b.codes.data(), b.scales.data());
            break;
          case RowStorage::F32: break;
        }
        if (flags & 4) {  // |x|^2 of the rows as stored
          b.norms.resize(rows);
          switch (storage) {
            case RowStorage::BF16: bf16_row_norms(b.half.data(), n, dim, b.norms.data()); break;
            case RowStorage::F16: f16_row_norms(b.half.data(), n, dim, b.norms.data()); break;
            case RowStorage::I8: i8_row_norms(b.codes.data(), b.scales.data(), n, dim, b.norms.data()); break;
            case RowStorage::F32: flat_row_norms(x, n, dim, b.norms.data()); break;
          }
        }
      },
      [baton](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Baton& b = *baton;
        Napi::Object out = Napi::Object::New(e);
        out.Set("nonFinite", static_cast<double>(b.non_finite));
        out.Set("zero", static_cast<double>(b.zero));
        out.Set("overflow", static_cast<double>(b.overflow));
        if (!b.half.empty()) out.Set("codes", typed_copy<Napi::Uint16Array>(e, b.half));
        if (!b.codes.empty()) out.Set("codes", typed_copy<Napi::Int8Array>(e, b.codes));
        if (!b.scales.empty()) out.Set("scales", typed_copy<Napi::Float32Array>(e, b.scales));
        if (!b.norms.empty()) out.Set("norms", typed_copy<Napi::Float32Array>(e, b.norms));
        return out;
      },
      {r.x});
}

}  // namespace audiomill
