/*
 * test_custos_hpp.cpp — the C++ binding (bindings/cpp/custos.hpp) against the built library:
 * decisions of the example requests (effect and cited articles), errors as exceptions with
 * file:line:column, moves that leave an empty, safe handle, request building (fields, time from
 * std::chrono), views.  Leaks are the sanitizers' (make asan) and valgrind's (make test) to find.
 * Finds the repository through CUSTOS_SOURCE_DIR (ctest sets it).
 */
#include "custos.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>
#include <string>
#include <type_traits>

namespace fs = std::filesystem;

static int failures = 0;
static int checks = 0;

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);                \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* Runs stmt, which must throw custos::error; binds it to `e` for the checks that follow. */
#define EXPECT_THROW(stmt, checks_on_e)                                                            \
    do {                                                                                           \
        bool thrown_ = false;                                                                      \
        try {                                                                                      \
            stmt;                                                                                  \
        } catch (const custos::error &e) {                                                         \
            thrown_ = true;                                                                        \
            checks_on_e;                                                                           \
        }                                                                                          \
        EXPECT(thrown_);                                                                           \
    } while (0)

static fs::path source_dir() {
    const char *s = std::getenv("CUSTOS_SOURCE_DIR");
    return s && *s ? fs::path(s) : fs::path(".");
}

static std::string read_file(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static custos::Config example_config() {
    custos::Config cfg;
    cfg.add_policies((source_dir() / "policies").string());
    for (const auto &entry : fs::directory_iterator(source_dir() / "examples" / "data"))
        if (entry.path().extension() == ".yaml") cfg.add_data(entry.path().string());
    return cfg;
}

/* Handles are move-only. */
static_assert(!std::is_copy_constructible_v<custos::Engine>);
static_assert(!std::is_copy_assignable_v<custos::Engine>);
static_assert(!std::is_copy_constructible_v<custos::Request>);
static_assert(!std::is_copy_constructible_v<custos::Decision>);
static_assert(!std::is_copy_constructible_v<custos::Config>);
static_assert(std::is_nothrow_move_constructible_v<custos::Engine>);
static_assert(std::is_nothrow_move_assignable_v<custos::Request>);
static_assert(std::is_nothrow_move_constructible_v<custos::Decision>);
static_assert(std::is_base_of_v<std::runtime_error, custos::error>);

/* The example requests: each file's effect and an article it must cite. */
static void test_example_requests(const custos::Engine &eng) {
    struct {
        const char *file;
        custos::effect effect;
        const char *regime, *article;
    } cases[] = {
        {"permitted-use.yaml", custos::effect::permit, "gz-2012", "11"},
        {"sale.yaml", custos::effect::deny, "gz-2012", "13"},
        {"unrelated-purpose.yaml", custos::effect::deny, "gz-2012", "11"},
        {"after-retention.yaml", custos::effect::deny, "gz-2012", "10"},
        {"related-purpose.yaml", custos::effect::permit, "gz-2012", "11"},
    };
    custos::Decision reused;
    for (const auto &c : cases) {
        const fs::path p = source_dir() / "examples" / "requests" / c.file;
        custos::Request req = custos::Request::parse(read_file(p), p.string());
        custos::Decision d = eng.decide(req);
        if (d.effect() != c.effect || !d.cites(c.regime, c.article))
            std::fprintf(stderr, "%s: %s\n", c.file, std::string(d.json()).c_str());
        EXPECT(d.effect() == c.effect);
        EXPECT(d.cites(c.regime, c.article));
        EXPECT(d.errors().empty());
        EXPECT(!d.regimes().empty());
        /* The same into a reused decision. */
        eng.decide(req, reused);
        EXPECT(reused.effect() == c.effect);
        EXPECT(reused.reasons().size() == d.reasons().size());
    }
}

/* The views: reasons with citations, obligations with their parameters, regimes, JSON. */
static void test_views(const custos::Engine &eng) {
    const fs::path p = source_dir() / "examples" / "requests" / "permitted-use.yaml";
    custos::Request req = custos::Request::parse(read_file(p), "permitted-use.yaml");
    custos::Decision d = eng.decide(req, custos::explain);
    EXPECT(d.permitted());
    EXPECT(custos::to_string(d.effect()) == "permit");
    bool cited = false;
    for (const custos::reason &r : d.reasons()) {
        EXPECT(r.effect == custos::effect::permit);
        EXPECT(!r.citation.empty());
        EXPECT(!r.message_en.empty());
        if (r.regime == "gz-2012" && r.article == "11") cited = true;
    }
    EXPECT(cited);
    /* The README says: the obligation to delete by 2027-06-30. */
    bool delete_by = false;
    for (const custos::obligation &o : d.obligations())
        if (o.param("date") == "2027-06-30") delete_by = true;
    EXPECT(delete_by);
    bool gz = false;
    for (const custos::regime_status &s : d.regimes())
        if (s.id == "gz-2012") gz = s.adopted && s.in_force_known && !s.in_force; /* expired 2017 */
    EXPECT(gz);
    EXPECT(!d.trace().empty());
    const std::string_view json = d.json();
    EXPECT(json.find("\"effect\": \"permit\"") != std::string_view::npos ||
           json.find("\"effect\":\"permit\"") != std::string_view::npos);
}

/* Requests built field by field, with the time from std::chrono. */
static void test_building(const custos::Engine &eng) {
    custos::Request req;
    req.set("subject.id", "bob")
        .set("subject.org", "acme-outsourcing")
        .set("subject.clearance", std::string("secret"))
        .set("subject.signed_confidentiality", true)
        .set("resource.owner", "globex")
        .set("resource.entrusted", true)
        .set("resource.contract", "C-2026-001")
        .set("resource.protected_by_employer", true)
        .set("resource.public", false)
        .set("action", "sell")
        .set("resource.id", "customer-list-2026")
        .set("resource.category", "personal")
        .set("purpose", "data-sale");
    /* 2026-11-22T07:30:00Z, read at +08:00. */
    const auto t = std::chrono::system_clock::from_time_t(1795332600);
    req.set_time(t, std::chrono::minutes(8 * 60));
    EXPECT(req.json().find("2026-11-22T15:30:00+08:00") != std::string_view::npos);
    custos::Decision d = eng.decide(req);
    EXPECT(d.effect() == custos::effect::deny);
    EXPECT(d.cites("gz-2012", "13"));

    req.set("context.attempt", 3).set("context.score", 0.5).append("context.regions", "cn-gd");
    const std::string json(req.json());
    EXPECT(json.find("\"attempt\": 3") != std::string::npos ||
           json.find("\"attempt\":3") != std::string::npos);
    EXPECT(json.find("cn-gd") != std::string::npos);
    req.unset("context.attempt");
    EXPECT_THROW(req.set("action", static_cast<const char *>(nullptr)),
                 EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    EXPECT(std::string(req.json()).find("attempt") == std::string::npos);

    /* An offset out of range is the library's CUSTOS_E_ARGUMENT, as an exception. */
    EXPECT_THROW(req.set_time(t, std::chrono::minutes(24 * 60)),
                 EXPECT(e.status() == CUSTOS_E_ARGUMENT));

    /* Without a time no decision is made: an exception, not a deny. */
    req.clear().set("action", "use");
    EXPECT_THROW(eng.decide(req), EXPECT(e.status() == CUSTOS_E_INPUT));
}

/* Errors are exceptions that carry the file, line and column. */
static void test_errors(const custos::Engine &eng) {
    /* A request that is not well-formed YAML. */
    EXPECT_THROW(custos::Request::parse("subject:\n  id: [alice\n", "bad.yaml"), {
        EXPECT(e.status() == CUSTOS_E_PARSE);
        EXPECT(e.file() == "bad.yaml");
        EXPECT(e.line() >= 1);
        EXPECT(std::string(e.what()).rfind("bad.yaml:", 0) == 0);
    });
    /* A field of the wrong type, in a parsed request: decide names its line and column. */
    EXPECT_THROW(eng.decide(custos::Request::parse("action: use\nresource:\n  entrusted: 42\n"
                                                   "context: {time: \"2026-11-22T10:00:00Z\"}\n",
                                                   "typed.yaml")),
                 {
                     EXPECT(e.status() == CUSTOS_E_INPUT);
                     EXPECT(e.file() == "typed.yaml");
                     EXPECT(e.line() == 3);
                     EXPECT(e.column() > 0);
                     EXPECT(std::string(e.what()).find("typed.yaml:3:") == 0);
                 });
    /* A policy with a syntax error: the engine does not open, and says where. */
    custos::Config broken;
    broken.add_policies((source_dir() / "tests" / "fixtures" / "broken" / "syntax").string());
    EXPECT_THROW(custos::Engine bad(broken), {
        EXPECT(e.status() == CUSTOS_E_POLICY);
        EXPECT(e.file().find("art1.lua") != std::string::npos);
        EXPECT(e.line() == 7);
        EXPECT(std::string(e.what()).find("art1.lua:7") != std::string::npos);
    });
    /* A policy folder that does not exist. */
    custos::Config missing;
    missing.add_policies((source_dir() / "no-such-folder").string());
    EXPECT_THROW(custos::Engine bad(missing), EXPECT(e.status() == CUSTOS_E_NOT_FOUND));
}

/* Moves leave the source empty and every call on it safe. */
static void test_moves() {
    custos::Config cfg = example_config();
    custos::Config cfg2 = std::move(cfg);
    EXPECT(!cfg && cfg2);
    EXPECT_THROW(cfg.add_data("x.yaml"), EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    EXPECT_THROW(custos::Engine bad(cfg), EXPECT(e.status() == CUSTOS_E_ARGUMENT));

    custos::Engine eng(cfg2);
    const std::uint64_t gen = eng.generation();
    EXPECT(gen == 1);
    eng.reload();
    EXPECT(eng.generation() == gen + 1);
    custos::Engine eng2 = std::move(eng);
    EXPECT(!eng && eng2);
    EXPECT(eng2.generation() == gen + 1);

    const fs::path p = source_dir() / "examples" / "requests" / "sale.yaml";
    custos::Request req = custos::Request::parse(read_file(p), p.string());
    EXPECT_THROW(eng.decide(req), EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    EXPECT_THROW((void)eng.generation(), EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    eng.close(); /* closing an empty engine is a no-op */

    custos::Request req2;
    req2 = std::move(req); /* move-assign frees req2's own request */
    EXPECT(!req && req2);
    EXPECT_THROW((void)req.json(), EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    EXPECT_THROW(req.set("action", "use"), EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    EXPECT_THROW(eng2.decide(req), EXPECT(e.status() == CUSTOS_E_ARGUMENT));

    custos::Decision d = eng2.decide(req2);
    EXPECT(d.effect() == custos::effect::deny);
    custos::Decision d2(std::move(d));
    EXPECT(!d && d2);
    EXPECT(d2.cites("gz-2012", "13"));
    /* The moved-from decision answers as custos.h does for NULL: deny, nothing listed. */
    EXPECT(d.effect() == custos::effect::deny);
    EXPECT(d.reasons().empty() && d.obligations().empty() && d.regimes().empty());
    EXPECT(d.errors().empty() && d.trace().empty());
    EXPECT_THROW((void)d.json(), EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    EXPECT_THROW(eng2.decide(req2, d), EXPECT(e.status() == CUSTOS_E_ARGUMENT));
    d = std::move(d2); /* a moved-from handle may be assigned again */
    EXPECT(d && !d2);
    d = std::move(d); /* self-move keeps the object */
    EXPECT(d && d.cites("gz-2012", "13"));

    /* Views stay valid while the decision lives, after the engine is closed (custos.h). */
    const auto reasons = d.reasons();
    eng2.close();
    EXPECT(!eng2);
    EXPECT(!reasons.empty() && reasons[0].regime == "gz-2012");
}

/* A failed reload throws with the file and line, and the old policies keep serving. */
static void test_reload_and_strict() {
    custos::Engine eng(example_config());
    custos::Config broken;
    broken.add_policies((source_dir() / "tests" / "fixtures" / "broken" / "syntax").string());
    EXPECT_THROW(eng.reload(broken), {
        EXPECT(e.status() == CUSTOS_E_POLICY);
        EXPECT(e.line() == 7);
    });
    EXPECT(eng.generation() == 1);
    const fs::path p = source_dir() / "examples" / "requests" / "sale.yaml";
    custos::Request req = custos::Request::parse(read_file(p), p.string());
    EXPECT(eng.decide(req).cites("gz-2012", "13"));

    /* An undeclared field: ignored by default, refused under custos::strict. */
    req.set("resource.entrustd", true);
    EXPECT(eng.decide(req).effect() == custos::effect::deny);
    EXPECT_THROW(eng.decide(req, custos::strict), {
        EXPECT(e.status() == CUSTOS_E_INPUT);
        EXPECT(e.message().find("resource.entrusted") != std::string::npos);
    });
}

/* One engine, decided on from two threads at once (each its own request and decision). */
static void test_threads(const custos::Engine &eng) {
    const std::string text =
        read_file(source_dir() / "examples" / "requests" / "permitted-use.yaml");
    int permits[2] = {0, 0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; t++)
        threads.emplace_back([&, t] {
            const custos::Request req = custos::Request::parse(text, "permitted-use.yaml");
            custos::Decision d;
            for (int i = 0; i < 50; i++) {
                eng.decide(req, d);
                if (d.permitted() && d.cites("gz-2012", "11")) permits[t]++;
            }
        });
    for (std::thread &th : threads) th.join();
    EXPECT(permits[0] == 50 && permits[1] == 50);
}

static void test_eval_and_version(const custos::Engine &eng) {
    EXPECT(eng.eval("return 1 + 2") == "3");
    EXPECT_THROW((void)eng.eval("return +"), EXPECT(e.status() == CUSTOS_E_INPUT));
    custos::check_version();                          /* the loaded library is the header's */
    custos::check_version(CUSTOS_VERSION_NUMBER + 7); /* another patch level: compatible */
    EXPECT_THROW(custos::check_version(CUSTOS_VERSION_NUMBER + 1000000), {
        EXPECT(e.status() == CUSTOS_E_ARGUMENT);
        EXPECT(std::string(e.what()).find("not compatible") != std::string::npos);
        EXPECT(std::string(e.what()).find("1.1.0") != std::string::npos);
    });
    EXPECT(custos_version_number() / 1000000 == CUSTOS_VERSION_MAJOR);
}

int main() {
    try {
        custos::Engine eng(example_config());
        test_example_requests(eng);
        test_views(eng);
        test_building(eng);
        test_errors(eng);
        test_eval_and_version(eng);
        test_moves();
        test_reload_and_strict();
        test_threads(eng);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "unexpected exception: %s\n", e.what());
        return 1;
    }
    std::printf("test_custos_hpp: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
