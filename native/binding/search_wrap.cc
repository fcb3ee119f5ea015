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

constexpr EnumName<RowStorage> kStorageNames[] = {
    {"f32", RowStorage::F32}, {"bf16", RowStorage::BF16}, {"f16", RowStorage::F16}, {"i8", RowStorage::I8}};
constexpr EnumName<SearchMetric> kMetricNames[] = {{"ip", SearchMetric::InnerProduct}, {"l2", SearchMetric::L2}};

std::int64_t get_count(const Napi::Object& o, const char* key) { return to_i64(o.Get(key), key); }

int get_dim(const Napi::Object& o) {
  const int dim = to_int(o.Get("dim"), "dim");
  if (dim < 1) throw_js(o.Env(), "INVALID_ARGUMENT", "dim must be positive");
  return dim;
}

// Stored rows { rows, n, dim, storage, rowScales } in the storage's array type (Float32Array,
// Uint16Array, Int8Array + scales).
void set_stored_rows(const Napi::Object& o, FlatSearchArgs& args, std::vector<Napi::Value>& keep) {
  args.n = get_count(o, "n");
  args.dim = get_dim(o);
  args.storage = get_enum(o, "storage", kStorageNames, RowStorage::F32);
  const std::int64_t count = args.n * args.dim;
  const Napi::Value rows = o.Get("rows");
  switch (args.storage) {
    case RowStorage::F32: args.rows = expect_typed<float>(rows, "rows", count).Data(); break;
    case RowStorage::BF16:
    case RowStorage::F16: args.rows_u16 = expect_typed<std::uint16_t>(rows, "rows", count).Data(); break;
    case RowStorage::I8: {
      args.rows_i8 = expect_typed<std::int8_t>(rows, "rows", count).Data();
      const Napi::Value scales = o.Get("rowScales");
      args.row_scales = expect_typed<float>(scales, "rowScales", args.n).Data();
      keep.push_back(scales);
      break;
    }
  }
  keep.push_back(rows);
}

// The options flatSearch and flatRangeSearch share: the stored rows, rowNorms, queries, nq, metric,
// allow, exclude and threads.
struct ParsedSearch {
  std::shared_ptr<FlatSearchArgs> args = std::make_shared<FlatSearchArgs>();
  std::shared_ptr<std::vector<std::int64_t>> exclude = std::make_shared<std::vector<std::int64_t>>();
  std::vector<Napi::Value> keep;
  int threads = 0;
  bool async = false;
};

ParsedSearch parse_search(const Napi::CallbackInfo& info, const char* name) {
  Napi::Env env = info.Env();
  const Napi::Object o = expect_object(info[0], name);
  ParsedSearch p;
  FlatSearchArgs* args = p.args.get();
  std::vector<Napi::Value>& keep = p.keep;
  set_stored_rows(o, *args, keep);
  const Napi::Value norms_v = o.Get("rowNorms");
  if (!norms_v.IsUndefined()) {
    Napi::Float32Array norms = expect_typed<float>(norms_v, "rowNorms", args->n);
    args->row_norms = norms.Data();
    keep.push_back(norms);
  }
  args->nq = get_count(o, "nq");
  Napi::Float32Array queries = expect_typed<float>(o.Get("queries"), "queries", args->nq * args->dim);
  args->queries = queries.Data();
  keep.push_back(queries);
  args->metric = get_enum(o, "metric", kMetricNames, SearchMetric::InnerProduct);
  if (args->metric == SearchMetric::L2 && !args->row_norms && args->n > 0) throw_js(env, "INVALID_ARGUMENT", "l2 needs rowNorms");
  const Napi::Value allow_v = o.Get("allow");
  if (!allow_v.IsUndefined()) {
    Napi::Uint8Array allow = expect_typed<std::uint8_t>(allow_v, "allow", args->n);
    args->allow = allow.Data();
    keep.push_back(allow);
  }
  std::vector<std::int64_t>* exclude = p.exclude.get();
  const Napi::Value exclude_v = o.Get("exclude");
  if (!exclude_v.IsUndefined()) {
    Napi::Float64Array ex = expect_typed<double>(exclude_v, "exclude", args->nq);
    exclude->resize(static_cast<std::size_t>(args->nq));
    for (std::int64_t q = 0; q < args->nq; ++q) (*exclude)[static_cast<std::size_t>(q)] = static_cast<std::int64_t>(ex[static_cast<std::size_t>(q)]);
    args->exclude = exclude->data();
  }
  p.threads = get_int(o, "threads", 0);
  p.async = info[1].ToBoolean().Value();
  return p;
}

}  // namespace

Napi::Value FlatSearchJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ParsedSearch p = parse_search(info, "flatSearch");
  const Napi::Object o = info[0].As<Napi::Object>();
  auto args = p.args;
  auto exclude = p.exclude;
  const int threads = p.threads;
  args->k = to_int(o.Get("k"), "k");
  if (args->k < 1) throw_js(env, "INVALID_ARGUMENT", "k must be positive");
  // Optional exact re-ranking: float32 rows (exactRows) and the results kept per query (kOut).
  const float* exact = nullptr;
  int k_out = args->k;
  const Napi::Value exact_v = o.Get("exactRows");
  if (!exact_v.IsUndefined()) {
    exact = expect_typed<float>(exact_v, "exactRows", args->n * args->dim).Data();
    p.keep.push_back(exact_v);
    k_out = to_int(o.Get("kOut"), "kOut");
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
  const Napi::Value threshold_v = info[0].As<Napi::Object>().Get("threshold");
  if (!threshold_v.IsNumber()) throw_js(env, "INVALID_ARGUMENT", "Expected a number for threshold");
  const float threshold = threshold_v.As<Napi::Number>().FloatValue();
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

// The { x, n, dim } options of the row helpers: x a Float32Array holding n rows of dim values.
struct RowsArg {
  Napi::Float32Array x;
  std::int64_t n;
  int dim;
};

RowsArg rows_arg(const Napi::Object& o) {
  const std::int64_t n = get_count(o, "n");
  const int dim = get_dim(o);
  return {expect_typed<float>(o.Get("x"), "x", n * dim), n, dim};
}

}  // namespace

Napi::Value FirstNonFiniteRowJs(const Napi::CallbackInfo& info) {
  RowsArg r = rows_arg(expect_object(info[0], "firstNonFiniteRow"));
  return Napi::Number::New(info.Env(), static_cast<double>(first_non_finite_row(r.x.Data(), r.n, r.dim)));
}

Napi::Value StoredRowNormsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FlatSearchArgs a;
  std::vector<Napi::Value> keep;
  set_stored_rows(expect_object(info[0], "storedRowNorms"), a, keep);
  const std::int64_t n = a.n;
  const int dim = a.dim;
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
  const Napi::Object o = expect_object(info[0], "prepareRows");
  RowsArg r = rows_arg(o);
  // normalize: scale each row to unit length (cosine); norms: |x|^2 of the rows as stored (l2).
  const bool normalize = get_bool(o, "normalize", false), norms = get_bool(o, "norms", false);
  const RowStorage storage = get_enum(o, "storage", kStorageNames, RowStorage::F32);
  const bool async = info[1].ToBoolean().Value();
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
      [baton, x, n, dim, normalize, norms, storage] {
        Baton& b = *baton;
        b.non_finite = first_non_finite_row(x, n, dim);
        if (b.non_finite >= 0) return;
        if (normalize) {
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
        if (norms) {
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
        if (!b.half.empty()) out.Set("codes", typed_copy(e, b.half));
        if (!b.codes.empty()) out.Set("codes", typed_copy(e, b.codes));
        if (!b.scales.empty()) out.Set("scales", typed_copy(e, b.scales));
        if (!b.norms.empty()) out.Set("norms", typed_copy(e, b.norms));
        return out;
      },
      {r.x});
}

}  // namespace audiomill
