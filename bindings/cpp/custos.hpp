/*
 * custos.hpp — a header-only C++17 wrapper over custos.h (libcustos's public C API).
 *
 *     #include <custos.hpp>
 *
 *     custos::Config cfg;
 *     cfg.add_policies("policies").add_data("examples/data/contracts.yaml");
 *     custos::Engine eng(cfg);                       // throws custos::error on a bad policy
 *     custos::Request req = custos::Request::parse(yaml_text, "request.yaml");
 *     req.set_time(std::chrono::system_clock::now(), std::chrono::minutes(8 * 60));
 *     custos::Decision d = eng.decide(req);
 *     if (d.effect() == custos::effect::permit) ship();
 *     for (const custos::reason &r : d.reasons()) log(r.regime, r.article, r.citation);
 *
 * Handles (Config, Engine, Request, Decision) own one C object each: move-only, freed by their
 * destructor; a moved-from handle is empty (operator bool is false), and every call on it is
 * safe: accessors answer as the C API does for NULL (no reasons, effect deny), calls that need
 * the object throw custos::error with status CUSTOS_E_ARGUMENT.
 *
 * Errors: exceptions, not an expected-like result.  For a host, a failure to open or reload an
 * engine, to parse a request or to set a field is exceptional — a bug or a broken deployment,
 * handled far from the call (at start-up, at the request's edge), which exceptions carry there
 * without a check at every call.  A decision is NOT an error: deny and not applicable are
 * ordinary answers, so decide() returns a Decision whose effect the host branches on, and a
 * policy's own error (a Lua error, a limit hit) is listed in Decision::errors() of a decision
 * that denies, as in C.  decide() throws only when the C call fails (CUSTOS_E_INPUT: the request
 * lacks context.time, or a field has the wrong type — file:line:column for a parsed request).
 * custos::error derives from std::runtime_error and carries status, file, line and column;
 * what() reads "file:line:column: message".
 *
 * Views: reasons(), obligations(), regimes(), errors(), trace() and json() return structs of
 * std::string_view (or a std::string_view) into strings the Decision owns: valid while the
 * Decision lives and is not reused by another decide() into it.  Copy what must outlive it.
 *
 * Threads, as in custos.h: an Engine may be used by any number of threads at once; a Request,
 * Decision or Config belongs to one thread at a time.
 *
 * Version: the binding's version is the library's (this header ships with it).  Opening a
 * Config or an Engine checks once that the loaded libcustos has the same major version as
 * custos.h (custos_version_number()), and throws custos::error otherwise.
 */
#ifndef CUSTOS_HPP
#define CUSTOS_HPP

#include "custos.h"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace custos {

/* ---- errors ------------------------------------------------------------------------------ */

/* A failed call: its status, the file, line and column it is about (empty / 0 when none), and
 * the library's message.  what() is "file:line:column: message" (the parts that are known). */
class error : public std::runtime_error {
  public:
    explicit error(const custos_error &e)
        : std::runtime_error(format(e.file, e.line, e.column, e.message)), status_(e.status),
          file_(e.file), line_(e.line), column_(e.column), message_(e.message) {}
    error(custos_status status, std::string message)
        : std::runtime_error(message), status_(status), message_(std::move(message)) {}

    custos_status status() const noexcept { return status_; }
    const char *status_name() const noexcept { return custos_status_name(status_); }
    const std::string &file() const noexcept { return file_; }
    unsigned line() const noexcept { return line_; }
    unsigned column() const noexcept { return column_; }
    const std::string &message() const noexcept { return message_; }

  private:
    static std::string format(const char *file, unsigned line, unsigned column, const char *msg) {
        std::string s;
        if (file[0]) {
            s += file;
            if (line) s += ":" + std::to_string(line);
            if (line && column) s += ":" + std::to_string(column);
            s += ": ";
        }
        return s + msg;
    }
    custos_status status_;
    std::string file_;
    unsigned line_ = 0, column_ = 0;
    std::string message_;
};

namespace detail {
/* Throws for a failed status: err's details when the call filled them, else the status. */
inline void check(custos_status st, const custos_error &err, const char *what) {
    if (st == CUSTOS_OK) return;
    if (err.status == st && err.message[0]) throw error(err);
    throw error(st, std::string(what) + ": " + custos_status_name(st));
}
inline void check(custos_status st, const char *what) {
    if (st != CUSTOS_OK) throw error(st, std::string(what) + ": " + custos_status_name(st));
}
inline custos_error fresh() {
    custos_error e;
    std::memset(&e, 0, sizeof e);
    return e;
}
inline std::string_view view(const char *s) { return s ? std::string_view(s) : std::string_view(); }
[[noreturn]] inline void empty_handle(const char *what) {
    throw error(CUSTOS_E_ARGUMENT, std::string(what) + ": empty (moved-from) handle");
}

/* Owns one C object; move-only.  Free is the C API's *_free / *_close. */
template <typename T, void (*Free)(T *)> class handle {
  public:
    handle() noexcept = default;
    explicit handle(T *p) noexcept : p_(p) {}
    handle(const handle &) = delete;
    handle &operator=(const handle &) = delete;
    handle(handle &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    handle &operator=(handle &&o) noexcept {
        if (this != &o) {
            Free(p_);
            p_ = std::exchange(o.p_, nullptr);
        }
        return *this;
    }
    ~handle() { Free(p_); }
    T *get() const noexcept { return p_; }
    void reset() noexcept { Free(std::exchange(p_, nullptr)); }

  private:
    T *p_ = nullptr;
};
} // namespace detail

/* Throws custos::error unless library_number (a custos_version_number()) has custos.h's major
 * version: a binding compiled against one major version cannot use another's library. */
inline void check_version(int library_number) {
    if (library_number / 1000000 != CUSTOS_VERSION_MAJOR)
        throw error(CUSTOS_E_ARGUMENT, "custos.hpp: the loaded libcustos is version " +
                                           std::to_string(library_number / 1000000) + "." +
                                           std::to_string(library_number / 1000 % 1000) + "." +
                                           std::to_string(library_number % 1000) +
                                           ", not compatible with custos.h " CUSTOS_VERSION_STRING
                                           " (the major version differs)");
}
/* The same for the library actually loaded.  Called by Config's and Engine's constructors. */
inline void check_version() {
    static const int loaded = custos_version_number();
    check_version(loaded);
}

/* ---- effects and views ------------------------------------------------------------------- */

enum class effect {
    not_applicable = CUSTOS_NOT_APPLICABLE,
    permit = CUSTOS_PERMIT,
    deny = CUSTOS_DENY
};
enum class regime_mode {
    adopted = CUSTOS_REGIME_ADOPTED,
    in_force = CUSTOS_REGIME_IN_FORCE,
    skipped = CUSTOS_REGIME_SKIPPED
};
/* decide() flags, as in custos.h (combine with |). */
enum decide_flags : unsigned {
    explain = CUSTOS_DECIDE_EXPLAIN,
    coverage = CUSTOS_DECIDE_COVERAGE,
    strict = CUSTOS_DECIDE_STRICT
};

/* "permit", "deny", "not_applicable". */
inline std::string_view to_string(effect e) {
    return custos_effect_name(static_cast<custos_effect>(e));
}

struct article_ref {
    std::string_view regime, article;
};

/* An article that decided (custos_reason). */
struct reason {
    std::string_view regime, article;
    custos::effect effect;
    std::string_view code, citation, title_zh, title_en, message_zh, message_en, module;
    std::vector<article_ref> implements; /* national articles a local one implements */
};

/* An obligation the host must meet when it acts, with its parameters (date = "2027-06-30"). */
struct obligation {
    std::string_view id, regime, article;
    std::vector<std::pair<std::string_view, std::string_view>> params;
    /* The value of parameter `key`, or an empty view. */
    std::string_view param(std::string_view key) const {
        for (const auto &kv : params)
            if (kv.first == key) return kv.second;
        return {};
    }
};

/* A regime consulted, with whether it was in force at the request's time. */
struct regime_status {
    std::string_view id;
    bool in_force, adopted, in_force_known, applies;
};

/* An error inside a policy: the decision denies. */
struct policy_error {
    std::string_view regime, article, message;
};

/* With decide_flags::explain: every article consulted. */
struct trace_entry {
    std::string_view regime, article;
    bool applied, failed;
    custos::effect effect;
    std::string_view code, message_zh, message_en, citation, title_zh, title_en;
};

/* ---- Config ------------------------------------------------------------------------------ */

class Config {
  public:
    Config() {
        check_version();
        custos_config *c = nullptr;
        detail::check(custos_config_new(&c), "custos_config_new");
        h_ = decltype(h_)(c);
    }
    Config &add_policies(std::string_view path) {
        detail::check(custos_config_add_policies(need(), std::string(path).c_str()),
                      "custos_config_add_policies");
        return *this;
    }
    Config &add_data(std::string_view path) {
        detail::check(custos_config_add_data(need(), std::string(path).c_str()),
                      "custos_config_add_data");
        return *this;
    }
    Config &set_limits(std::size_t memory_bytes, std::uint64_t instructions) {
        detail::check(custos_config_set_limits(need(), memory_bytes, instructions),
                      "custos_config_set_limits");
        return *this;
    }
    Config &set_regime_mode(std::string_view regime, regime_mode mode) {
        detail::check(custos_config_set_regime_mode(need(), std::string(regime).c_str(),
                                                    static_cast<custos_regime_mode>(mode)),
                      "custos_config_set_regime_mode");
        return *this;
    }
    /* The built-in regimes' folder (custos_builtin_policy_dir), or an empty string. */
    static std::string builtin_policy_dir() {
        const char *d = custos_builtin_policy_dir();
        return d ? d : "";
    }
    explicit operator bool() const noexcept { return h_.get() != nullptr; }
    const custos_config *get() const noexcept { return h_.get(); }

  private:
    custos_config *need() const {
        if (!h_.get()) detail::empty_handle("custos::Config");
        return h_.get();
    }
    detail::handle<custos_config, custos_config_free> h_;
};

/* ---- Request ----------------------------------------------------------------------------- */

class Request {
  public:
    Request() {
        custos_request *r = nullptr;
        detail::check(custos_request_new(&r), "custos_request_new");
        h_ = decltype(h_)(r);
    }
    /* A request parsed from YAML or JSON text; `name` is the file name its errors give. */
    static Request parse(std::string_view text, std::string_view name = {}) {
        Request r;
        r.parse_into(text, name);
        return r;
    }
    /* Replaces the content with a parsed document (custos_request_parse). */
    Request &parse_into(std::string_view text, std::string_view name = {}) {
        custos_error err = detail::fresh();
        std::string n(name);
        detail::check(custos_request_parse(need(), text.data(), text.size(),
                                           name.empty() ? nullptr : n.c_str(), &err),
                      err, "custos_request_parse");
        return *this;
    }
    Request &set(std::string_view path, std::string_view value) {
        custos_error err = detail::fresh();
        detail::check(custos_request_set_string(need(), std::string(path).c_str(),
                                                std::string(value).c_str(), &err),
                      err, "custos_request_set_string");
        return *this;
    }
    Request &set(std::string_view path, const char *value) {
        if (!value) throw error(CUSTOS_E_ARGUMENT, "custos::Request::set: a null string");
        return set(path, std::string_view(value));
    }
    Request &set(std::string_view path, const std::string &value) {
        return set(path, std::string_view(value));
    }
    Request &set(std::string_view path, bool value) {
        custos_error err = detail::fresh();
        detail::check(custos_request_set_bool(need(), std::string(path).c_str(), value, &err), err,
                      "custos_request_set_bool");
        return *this;
    }
    template <typename I,
              std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
    Request &set(std::string_view path, I value) {
        custos_error err = detail::fresh();
        detail::check(custos_request_set_integer(need(), std::string(path).c_str(),
                                                 static_cast<std::int64_t>(value), &err),
                      err, "custos_request_set_integer");
        return *this;
    }
    Request &set(std::string_view path, double value) {
        custos_error err = detail::fresh();
        detail::check(custos_request_set_number(need(), std::string(path).c_str(), value, &err),
                      err, "custos_request_set_number");
        return *this;
    }
    Request &append(std::string_view path, std::string_view value) {
        custos_error err = detail::fresh();
        detail::check(custos_request_append_string(need(), std::string(path).c_str(),
                                                   std::string(value).c_str(), &err),
                      err, "custos_request_append_string");
        return *this;
    }
    /* context.time = t as seen at `offset` east of UTC (minutes(480): China Standard Time). */
    Request &set_time(std::chrono::system_clock::time_point t,
                      std::chrono::minutes offset = std::chrono::minutes(0)) {
        custos_error err = detail::fresh();
        const auto secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
        detail::check(custos_request_set_time(need(), static_cast<std::time_t>(secs),
                                              static_cast<int>(offset.count()), &err),
                      err, "custos_request_set_time");
        return *this;
    }
    Request &unset(std::string_view path) {
        detail::check(custos_request_unset(need(), std::string(path).c_str()),
                      "custos_request_unset");
        return *this;
    }
    Request &clear() {
        custos_request_clear(need());
        return *this;
    }
    /* The request as JSON, keys sorted; valid until the request is next changed or freed. */
    std::string_view json() const {
        const char *j = nullptr;
        detail::check(custos_request_json(need(), &j), "custos_request_json");
        return detail::view(j);
    }
    explicit operator bool() const noexcept { return h_.get() != nullptr; }
    const custos_request *get() const noexcept { return h_.get(); }

  private:
    custos_request *need() const {
        if (!h_.get()) detail::empty_handle("custos::Request");
        return h_.get();
    }
    detail::handle<custos_request, custos_request_free> h_;
};

/* ---- Decision ---------------------------------------------------------------------------- */

class Decision {
  public:
    Decision() {
        custos_decision *d = nullptr;
        detail::check(custos_decision_new(&d), "custos_decision_new");
        h_ = decltype(h_)(d);
    }
    /* permit, deny or not_applicable (deny for an empty handle, as custos.h for NULL). */
    custos::effect effect() const noexcept {
        return static_cast<custos::effect>(custos_decision_effect(h_.get()));
    }
    bool permitted() const noexcept { return effect() == custos::effect::permit; }

    std::vector<reason> reasons() const {
        std::vector<reason> v;
        const std::size_t n = custos_decision_reason_count(h_.get());
        v.reserve(n);
        for (std::size_t i = 0; i < n; i++) {
            custos_reason r;
            detail::check(custos_decision_reason(h_.get(), i, &r), "custos_decision_reason");
            reason out{detail::view(r.regime),
                       detail::view(r.article),
                       static_cast<custos::effect>(r.effect),
                       detail::view(r.code),
                       detail::view(r.citation),
                       detail::view(r.title_zh),
                       detail::view(r.title_en),
                       detail::view(r.message_zh),
                       detail::view(r.message_en),
                       detail::view(r.module),
                       {}};
            for (std::size_t k = 0; k < r.implements_count; k++)
                out.implements.push_back(
                    {detail::view(r.implements[k].regime), detail::view(r.implements[k].article)});
            v.push_back(std::move(out));
        }
        return v;
    }
    std::vector<obligation> obligations() const {
        std::vector<obligation> v;
        const std::size_t n = custos_decision_obligation_count(h_.get());
        v.reserve(n);
        for (std::size_t i = 0; i < n; i++) {
            custos_obligation o;
            detail::check(custos_decision_obligation(h_.get(), i, &o),
                          "custos_decision_obligation");
            obligation out{detail::view(o.id), detail::view(o.regime), detail::view(o.article), {}};
            for (std::size_t k = 0; k < o.param_count; k++)
                out.params.emplace_back(detail::view(o.param_keys[k]),
                                        detail::view(o.param_values[k]));
            v.push_back(std::move(out));
        }
        return v;
    }
    std::vector<regime_status> regimes() const {
        std::vector<regime_status> v;
        const std::size_t n = custos_decision_regime_count(h_.get());
        v.reserve(n);
        for (std::size_t i = 0; i < n; i++) {
            custos_regime_status s;
            detail::check(custos_decision_regime(h_.get(), i, &s), "custos_decision_regime");
            v.push_back({detail::view(s.id), s.in_force, s.adopted, s.in_force_known, s.applies});
        }
        return v;
    }
    std::vector<policy_error> errors() const {
        std::vector<policy_error> v;
        const std::size_t n = custos_decision_error_count(h_.get());
        v.reserve(n);
        for (std::size_t i = 0; i < n; i++) {
            custos_policy_error e;
            detail::check(custos_decision_error(h_.get(), i, &e), "custos_decision_error");
            v.push_back({detail::view(e.regime), detail::view(e.article), detail::view(e.message)});
        }
        return v;
    }
    std::vector<trace_entry> trace() const {
        std::vector<trace_entry> v;
        const std::size_t n = custos_decision_trace_count(h_.get());
        v.reserve(n);
        for (std::size_t i = 0; i < n; i++) {
            custos_trace t;
            detail::check(custos_decision_trace(h_.get(), i, &t), "custos_decision_trace");
            v.push_back({detail::view(t.regime), detail::view(t.article), t.applied, t.failed,
                         static_cast<custos::effect>(t.effect), detail::view(t.code),
                         detail::view(t.message_zh), detail::view(t.message_en),
                         detail::view(t.citation), detail::view(t.title_zh),
                         detail::view(t.title_en)});
        }
        return v;
    }
    /* True when some reason cites regime's article ("gz-2012", "13"). */
    bool cites(std::string_view regime, std::string_view article) const {
        for (const reason &r : reasons())
            if (r.regime == regime && r.article == article) return true;
        return false;
    }
    /* The decision as JSON (docs/design.md, "The decision as JSON"). */
    std::string_view json() const {
        if (!h_.get()) detail::empty_handle("custos::Decision");
        const char *j = nullptr;
        detail::check(custos_decision_json(h_.get(), &j), "custos_decision_json");
        return detail::view(j);
    }
    explicit operator bool() const noexcept { return h_.get() != nullptr; }
    custos_decision *get() const noexcept { return h_.get(); }

  private:
    detail::handle<custos_decision, custos_decision_free> h_;
};

/* ---- Engine ------------------------------------------------------------------------------ */

class Engine {
  public:
    /* Opens an engine on cfg (copied: cfg may go away); throws custos::error with the file,
     * line and column of what failed to load. */
    explicit Engine(const Config &cfg) {
        check_version();
        if (!cfg) detail::empty_handle("custos::Config");
        custos_error err = detail::fresh();
        custos_engine *e = nullptr;
        detail::check(custos_engine_open(cfg.get(), &e, &err), err, "custos_engine_open");
        h_ = decltype(h_)(e);
    }
    /* Re-reads policies and data (cfg's, or the engine's own); on failure the old ones keep
     * serving and custos::error says why. */
    void reload() { reload_with(nullptr); }
    void reload(const Config &cfg) {
        if (!cfg) detail::empty_handle("custos::Config");
        reload_with(cfg.get());
    }
    std::uint64_t generation() const { return custos_engine_generation(need()); }

    /* Decides req (flags: decide_flags, or'd).  Throws custos::error when no decision could be
     * made (CUSTOS_E_INPUT: context.time missing, a field of the wrong type, an unknown field
     * under strict); a deny is an answer, not an exception. */
    Decision decide(const Request &req, unsigned flags = 0) const {
        Decision d;
        decide(req, d, flags);
        return d;
    }
    /* The same into an existing Decision (reusing its memory: one per thread is fastest). */
    void decide(const Request &req, Decision &into, unsigned flags = 0) const {
        if (!req) detail::empty_handle("custos::Request");
        if (!into) detail::empty_handle("custos::Decision");
        custos_error err = detail::fresh();
        detail::check(custos_decide(need(), req.get(), flags, into.get(), &err), err,
                      "custos_decide");
    }
    /* Checks req against the declared fields without deciding; throws when one is wrong. */
    void check_request(const Request &req) const {
        if (!req) detail::empty_handle("custos::Request");
        custos_error err = detail::fresh();
        detail::check(custos_engine_check_request(need(), req.get(), &err), err,
                      "custos_engine_check_request");
    }
    /* Runs Lua in the policies' sandbox (debugging); returns what it printed as text. */
    std::string eval(std::string_view code, const Request *req = nullptr) const {
        custos_error err = detail::fresh();
        char *out = nullptr;
        const custos_status st = custos_engine_eval(need(), req ? req->get() : nullptr,
                                                    std::string(code).c_str(), &out, &err);
        std::string s = out ? out : "";
        custos_free(out);
        detail::check(st, err, "custos_engine_eval");
        return s;
    }
    explicit operator bool() const noexcept { return h_.get() != nullptr; }
    custos_engine *get() const noexcept { return h_.get(); }
    /* Closes now (the destructor does it otherwise); no thread may be inside a call. */
    void close() noexcept { h_.reset(); }

  private:
    void reload_with(const custos_config *cfg) {
        custos_error err = detail::fresh();
        detail::check(custos_engine_reload(need(), cfg, &err), err, "custos_engine_reload");
    }
    custos_engine *need() const {
        if (!h_.get()) detail::empty_handle("custos::Engine");
        return h_.get();
    }
    detail::handle<custos_engine, custos_engine_close> h_;
};

} // namespace custos

#endif /* CUSTOS_HPP */
