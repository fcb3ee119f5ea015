#include "search_wrap.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "convert.h"
#include "search/flat_search.h"
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

// A Float32Array holding at least n x dim values.
Napi::Float32Array matrix(const Napi::Value& v, std::int64_t n, std::int64_t dim, const char* what) {
  Napi::Float32Array a = expect_f32(v, what);
  if (static_cast<std::int64_t>(a.ElementLength()) < n * dim)
    throw_js(v.Env(), "INVALID_ARGUMENT", std::string(what) + " is shorter than n x dim");
  return a;
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
  if (info.Length() < 12) throw_js(env, "INVALID_ARGUMENT", std::string(name) + " needs 12 arguments");
  ParsedSearch p;
  FlatSearchArgs* args = p.args.get();
  std::vector<Napi::Value>& keep = p.keep;
  args->n = to_i64(info[1], "n");
  args->dim = to_int(info[2], "dim");
  if (args->dim < 1) throw_js(env, "INVALID_ARGUMENT", "dim must be positive");
  if (info[0].IsTypedArray() && info[0].As<Napi::TypedArray>().TypedArrayType() == napi_uint16_array) {
    Napi::Uint16Array rows = info[0].As<Napi::Uint16Array>();  // bf16 rows
    if (static_cast<std::int64_t>(rows.ElementLength()) < args->n * args->dim) throw_js(env, "INVALID_ARGUMENT", "rows is shorter than n x dim");
    args->rows_bf16 = rows.Data();
    args->storage = RowStorage::BF16;
    keep.push_back(rows);
  } else {
    Napi::Float32Array rows = matrix(info[0], args->n, args->dim, "rows");
    args->rows = rows.Data();
    keep.push_back(rows);
  }
  if (!info[3].IsUndefined()) {
    Napi::Float32Array norms = matrix(info[3], args->n, 1, "rowNorms");
    args->row_norms = norms.Data();
    keep.push_back(norms);
  }
  args->nq = to_i64(info[5], "nq");
  Napi::Float32Array queries = matrix(info[4], args->nq, args->dim, "queries");
  args->queries = queries.Data();
  keep.push_back(queries);
  const int metric = to_int(info[7], "metric");
  if (metric != 0 && metric != 1) throw_js(env, "INVALID_ARGUMENT", "metric must be 0 (inner product) or 1 (L2)");
  args->metric = static_cast<SearchMetric>(metric);
  if (args->metric == SearchMetric::L2 && !args->row_norms && args->n > 0) throw_js(env, "INVALID_ARGUMENT", "L2 needs rowNorms");
  if (!info[8].IsUndefined()) {
    if (!info[8].IsTypedArray() || info[8].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      throw_js(env, "INVALID_ARGUMENT", "allow must be a Uint8Array");
    Napi::Uint8Array allow = info[8].As<Napi::Uint8Array>();
    if (static_cast<std::int64_t>(allow.ElementLength()) < args->n) throw_js(env, "INVALID_ARGUMENT", "allow is shorter than n");
    args->allow = allow.Data();
    keep.push_back(allow);
  }
  std::vector<std::int64_t>* exclude = p.exclude.get();
  if (!info[9].IsUndefined()) {
    if (!info[9].IsTypedArray() || info[9].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
      throw_js(env, "INVALID_ARGUMENT", "exclude must be a Float64Array");
    Napi::Float64Array ex = info[9].As<Napi::Float64Array>();
    if (static_cast<std::int64_t>(ex.ElementLength()) < args->nq) throw_js(env, "INVALID_ARGUMENT", "exclude is shorter than nq");
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
  struct Baton {
    FloatBuffer scores;
    std::vector<std::int32_t> ids;
  };
  auto baton = std::make_shared<Baton>();
  const std::size_t count = static_cast<std::size_t>(args->nq) * static_cast<std::size_t>(args->k);
  return run_task(
      env, p.async, "audiomill:flat-search",
      [args, exclude, baton, threads, count] {
        baton->scores = alloc_floats(count);
        std::vector<std::int64_t> ids(count);
        flat_search(*args, baton->scores.get(), ids.data(), threads);
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
  return {matrix(info[0], n, dim, "x"), n, dim};
}

}  // namespace

Napi::Value RowNormsJs(const Napi::CallbackInfo& info) {
  RowsArg r = rows_arg(info);
  Napi::Float32Array out = Napi::Float32Array::New(info.Env(), static_cast<std::size_t>(r.n));
  flat_row_norms(r.x.Data(), r.n, r.dim, out.Data());
  return out;
}

Napi::Value FirstNonFiniteRowJs(const Napi::CallbackInfo& info) {
  RowsArg r = rows_arg(info);
  return Napi::Number::New(info.Env(), static_cast<double>(first_non_finite_row(r.x.Data(), r.n, r.dim)));
}


Napi::Value Bf16RowNormsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array)
    throw_js(env, "INVALID_ARGUMENT", "Expected a Uint16Array of bf16 rows");
  Napi::Uint16Array x = info[0].As<Napi::Uint16Array>();
  const std::int64_t n = to_i64(info[1], "n");
  const int dim = to_int(info[2], "dim");
  if (dim < 1 || static_cast<std::int64_t>(x.ElementLength()) < n * dim) throw_js(env, "INVALID_ARGUMENT", "x is shorter than n x dim");
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<std::size_t>(n));
  bf16_row_norms(x.Data(), n, dim, out.Data());
  return out;
}

Napi::Value PrepareRowsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RowsArg r = rows_arg(info);
  const int flags = to_int(info[3], "flags");
  const bool async = info.Length() > 4 && info[4].ToBoolean().Value();
  struct Baton {
    std::int64_t non_finite = -1, zero = -1;
    std::vector<std::uint16_t> half;
    std::vector<float> norms;
  };
  auto baton = std::make_shared<Baton>();
  float* x = r.x.Data();
  const std::int64_t n = r.n;
  const int dim = r.dim;
  return run_task(
      env, async, "audiomill:prepare-rows",
      [baton, x, n, dim, flags] {
        baton->non_finite = first_non_finite_row(x, n, dim);
        if (baton->non_finite >= 0) return;
        if (flags & 1) {
          baton->zero = normalize_rows(x, n, dim);
          if (baton->zero >= 0) return;
        }
        const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(dim);
        if (flags & 2) {
          baton->half.resize(count);
          f32_to_bf16(x, count, baton->half.data());
        }
        if (flags & 4) {
          baton->norms.resize(static_cast<std::size_t>(n));
          if (flags & 2)
            bf16_row_norms(baton->half.data(), n, dim, baton->norms.data());
          else
            flat_row_norms(x, n, dim, baton->norms.data());
        }
      },
      [baton](Napi::Env e, const std::vector<Napi::Value>&) -> Napi::Value {
        Napi::Object out = Napi::Object::New(e);
        out.Set("nonFinite", static_cast<double>(baton->non_finite));
        out.Set("zero", static_cast<double>(baton->zero));
        if (!baton->half.empty()) {
          Napi::Uint16Array h = Napi::Uint16Array::New(e, baton->half.size());
          std::memcpy(h.Data(), baton->half.data(), baton->half.size() * sizeof(std::uint16_t));
          out.Set("half", h);
        }
        if (!baton->norms.empty()) {
          Napi::Float32Array nm = Napi::Float32Array::New(e, baton->norms.size());
          std::memcpy(nm.Data(), baton->norms.data(), baton->norms.size() * sizeof(float));
          out.Set("norms", nm);
        }
        return out;
      },
      {r.x});
}

}  // namespace audiomill
