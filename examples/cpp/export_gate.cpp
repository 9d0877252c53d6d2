/*
 * export_gate.cpp — custos-export-gate: a data-export service that asks custos before it ships
 * a file (examples/cpp/README.md).
 *
 * acme-outsourcing holds data its clients entrusted to it.  Its export service takes jobs —
 * who wants which dataset sent to whom, for what purpose, to which regions — and, before it
 * ships anything, asks custos.  permit: it ships and does what the obligations say (log the
 * access, delete by a date); deny: it refuses and tells the requester which articles forbid
 * it; not applicable: no article speaks, so the service's own default applies (this one
 * refuses: an export nobody can justify does not leave).  A job that cannot be decided (a
 * missing field of the wrong type) is a bug in the job, reported with custos::error.
 *
 * Run without arguments it replays a few jobs and exits 1 when an answer is not the expected
 * one (so it doubles as a smoke test, like custos-demo).  With a file argument it decides that
 * request file (YAML or JSON) as one job.
 */
#include <custos.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#ifndef CUSTOS_SOURCE_DIR
#define CUSTOS_SOURCE_DIR "."
#endif

namespace {

/* An export job as the service's queue hands it over. */
struct ExportJob {
    std::string requester, dataset, owner, contract, purpose, recipient;
    std::vector<std::string> regions;
    custos::effect expected; /* for the replay's self-check */
};

/* What the service does with a decision. */
class ExportGate {
  public:
    explicit ExportGate(const custos::Engine &engine) : engine_(engine) {}

    /* Asks, then ships or refuses; returns the decision's effect. */
    custos::effect handle(const ExportJob &job, std::chrono::system_clock::time_point when) {
        custos::Request req;
        req.set("subject.id", job.requester)
            .set("subject.org", "acme-outsourcing")
            .set("subject.role", "staff")
            .set("subject.signed_confidentiality", true)
            .set("action", "transfer")
            .set("resource.id", job.dataset)
            .set("resource.owner", job.owner)
            .set("resource.category", "commercial")
            .set("resource.classification", "confidential")
            .set("resource.entrusted", true)
            .set("resource.contract", job.contract)
            .set("resource.protected_by_employer", true)
            .set("resource.public", false)
            .set("purpose", job.purpose)
            .set("context.recipient", job.recipient)
            .set("context.recipient_org", job.recipient);
        for (const std::string &r : job.regions) req.append("context.regions", r);
        req.set_time(when, std::chrono::minutes(8 * 60)); /* the service runs in China */
        return handle(job.dataset + " -> " + job.recipient, req);
    }

    custos::effect handle(const std::string &label, const custos::Request &req) {
        engine_.decide(req, decision_); /* one decision per worker, reused: its memory kept */
        switch (decision_.effect()) {
        case custos::effect::permit: ship(label); break;
        case custos::effect::deny: refuse(label, "denied"); break;
        case custos::effect::not_applicable:
            refuse(label, "no article applies; the service's default refuses");
            break;
        }
        return decision_.effect();
    }

  private:
    void ship(const std::string &label) {
        std::printf("SHIP    %s\n", label.c_str());
        for (const custos::reason &r : decision_.reasons())
            std::printf("        per %.*s\n", static_cast<int>(r.citation.size()),
                        r.citation.data());
        for (const custos::obligation &o : decision_.obligations()) {
            std::printf("        obligation %.*s", static_cast<int>(o.id.size()), o.id.data());
            for (const auto &kv : o.params)
                std::printf(" %.*s=%.*s", static_cast<int>(kv.first.size()), kv.first.data(),
                            static_cast<int>(kv.second.size()), kv.second.data());
            std::printf("\n");
        }
    }
    void refuse(const std::string &label, const char *why) {
        std::printf("REFUSE  %s (%s)\n", label.c_str(), why);
        for (const custos::reason &r : decision_.reasons())
            if (r.effect == custos::effect::deny)
                std::printf("        %.*s: %.*s\n", static_cast<int>(r.citation.size()),
                            r.citation.data(), static_cast<int>(r.message_en.size()),
                            r.message_en.data());
        for (const custos::policy_error &e : decision_.errors())
            std::printf("        policy error: %.*s\n", static_cast<int>(e.message.size()),
                        e.message.data());
    }

    const custos::Engine &engine_;
    custos::Decision decision_;
};

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

int main(int argc, char **argv) {
    try {
        namespace fs = std::filesystem;
        const fs::path root(CUSTOS_SOURCE_DIR);
        custos::Config cfg;
        cfg.add_policies((root / "policies").string());
        for (const auto &entry : fs::directory_iterator(root / "examples" / "data"))
            if (entry.path().extension() == ".yaml") cfg.add_data(entry.path().string());
        const custos::Engine engine(cfg); /* opened once, shared by every worker thread */
        ExportGate gate(engine);

        if (argc > 1) { /* one request file */
            const custos::Request req = custos::Request::parse(read_file(argv[1]), argv[1]);
            return gate.handle(argv[1], req) == custos::effect::permit ? 0 : 2;
        }

        /* The replay: 2026-11-22 10:00 in Guangzhou. */
        const auto when = std::chrono::system_clock::from_time_t(1795312800);
        const std::vector<ExportJob> jobs = {
            {"kate",
             "soylent-audit-2026",
             "soylent",
             "C-2026-104",
             "audit-support",
             "kpmg-audit",
             {"cn-gd"},
             custos::effect::permit},
            {"kate",
             "soylent-audit-2026",
             "soylent",
             "C-2026-104",
             "audit-support",
             "data-broker-ltd",
             {"cn-gd"},
             custos::effect::deny},
            {"alice",
             "orders-2026q3",
             "globex",
             "C-2026-001",
             "billing-reconciliation",
             "globex",
             {"cn-gd", "us-ca"},
             custos::effect::deny},
        };
        int unexpected = 0;
        for (const ExportJob &job : jobs) {
            const custos::effect got = gate.handle(job, when);
            if (got != job.expected) {
                std::printf("        UNEXPECTED: wanted %s\n",
                            std::string(custos::to_string(job.expected)).c_str());
                unexpected++;
            }
        }
        return unexpected ? 1 : 0;
    } catch (const custos::error &e) { /* file:line:column: message */
        std::cerr << "custos-export-gate: " << e.what() << " (" << e.status_name() << ")\n";
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "custos-export-gate: " << e.what() << "\n";
        return 1;
    }
}
