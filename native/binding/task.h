// One mechanism for every Promise-returning call: `work` runs on a libuv worker
// thread and touches no N-API (it fills a plain baton the lambdas share); `done`
// runs back on the main thread and builds the resolved value. Core errors reject
// with their code. The same pair runs inline for the Sync form.
#pragma once
#include <napi.h>

#include <functional>
#include <string>
#include <vector>

namespace audiomill {

using TaskWork = std::function<void()>;
// `kept` holds the keep_alive values again, in order (handles do not outlive a call,
// so `done` must take the caller's objects from here, not from its captures).
using TaskDone = std::function<Napi::Value(Napi::Env, const std::vector<Napi::Value>& kept)>;

// Queues work; keeps every value in `keep_alive` (inputs, caller outputs) referenced until it settles.
Napi::Promise queue_task(Napi::Env env, const char* name, TaskWork work, TaskDone done,
                         const std::vector<Napi::Value>& keep_alive = {});

// async: queue_task's Promise; else work() then done() now, errors thrown as JS errors with a code.
Napi::Value run_task(Napi::Env env, bool async, const char* name, TaskWork work, TaskDone done,
                     const std::vector<Napi::Value>& keep_alive = {});

}  // namespace audiomill
