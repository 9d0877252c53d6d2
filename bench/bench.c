/*
 * bench.c — custos-bench: how fast the engine decides, and whether it decides right.
 *
 * A deterministic workload (a fixed-seed splitmix64 generator, no rand()) is made up front:
 *
 *   - 200 outsourcing contracts over a pool of 2000 subjects, written as a YAML data document
 *     into a temporary file (mkstemp under $TMPDIR or /tmp, removed as soon as the engine has
 *     loaded it, or at exit).  Each contract
 *     has 2-4 stated purposes, 0-2 directly related purposes per stated one, 5-20 subjects, a
 *     subset of actions and a retention date;
 *   - 100,000 requests in a fixed mix of permits and denies over gz-2012 articles 10, 11 and 13
 *     (see `kinds` below), each with the effect the generator expects.  The expectation is
 *     computed by expect(), a C model of the three articles (the regulation as the modules'
 *     header comments read it) applied to the generated contracts — independent of the engine.
 *
 * The timed loop builds every request field by field (custos_request_clear, then
 * custos_request_set_string / set_bool / append_string) and decides it into a reused decision;
 * the latency of build + decide is measured with clock_gettime(CLOCK_MONOTONIC).  Each thread
 * warms up (its evaluator is built on its first decision) before the clock starts.  Runs: one
 * thread, then two threads sharing the engine (the requests split between them).
 *
 * Exit status: 0 when every decision had the expected effect and no policy error; 1 when any
 * did not (or the engine could not be set up); 64 on a usage error.  Missed timing targets are
 * reported but do not fail the run: timing depends on the machine.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <custos.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- workload shape ------------------------------------------------------------------------ */

#define CONTRACTS 200
#define SUBJECTS 2000
#define DEFAULT_REQUESTS 100000
#define DEFAULT_SEED UINT64_C(0x637573746f73) /* "custos" */
#define MAX_STATED 4
#define MAX_RELATED 2
#define MAX_CONTRACT_SUBJECTS 20
#define DATASETS_PER_CONTRACT 3
#define MAX_RUNS 8

#define TARGET_MEDIAN_US 3.0
#define TARGET_SCALING 1.8

/* ---- splitmix64 ---------------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void) {
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A uniform integer in [lo, hi] (the modulo bias is irrelevant at these sizes). */
static int rng_range(int lo, int hi) { return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1)); }

/* ---- calendar (China Standard Time, UTC+08:00) --------------------------------------------- */

#define CST_OFFSET (8 * 3600)

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Writes epoch seconds as RFC 3339 with the given offset from UTC ("Z" when 0 and zulu). */
static void format_time(char *buf, size_t size, int64_t epoch, int offset, int zulu) {
    int64_t local = epoch + offset;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t secs = local - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    if (zulu && offset == 0) {
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mm, ss);
    } else {
        int o = offset < 0 ? -offset : offset;
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d, hh, mm, ss,
                 offset < 0 ? '-' : '+', o / 3600, o / 60 % 60);
    }
}

/* ---- vocabulary ---------------------------------------------------------------------------- */

static const char *const domains[] = {"billing",   "payroll",   "customer",   "claims",
                                      "logistics", "inventory", "quality",    "fraud",
                                      "tax",       "credit",    "hr",         "procurement",
                                      "warranty",  "loyalty",   "compliance", "research"};
static const char *const tasks[] = {"reconciliation", "support",    "analytics",
                                    "reporting",      "correction", "archiving"};
#define NDOMAINS (sizeof domains / sizeof *domains)
#define NTASKS (sizeof tasks / sizeof *tasks)
#define NPURPOSES (NDOMAINS * NTASKS)

/* Acts a contract may allow (article 10).  "delete" is special: art. 10 lets a contract
 * subject delete at any time (deleting neither uses nor keeps the data) and art. 11 does not
 * apply to it, so the kinds meant to deny never pick it.  "transfer", "export" and "disclose"
 * hand the data to someone (art. 13 judges them by who receives it); "disclose" is allowed by
 * a few contracts, so that article 13 must win over a contract that allows a hand-over to a
 * party outside it. */
static const char *const contract_actions[] = {"use",      "process", "store",  "access",  "copy",
                                               "transfer", "export",  "delete", "disclose"};
#define NACTIONS (sizeof contract_actions / sizeof *contract_actions)
#define ACTION_TRANSFER 5
#define ACTION_EXPORT 6
#define ACTION_DELETE 7
#define ACTION_DISCLOSE 8

/* Purposes that are promotion or sale under another name (art. 13 denies them whatever the
 * act, except deletion); none is in the generated pool. */
static const char *const promotional_purposes[] = {
    "marketing",     "promotion", "advertising", "direct-marketing", "telemarketing",
    "cross-selling", "resale",    "sale",        "data-sale"};
#define NPROMOTIONAL (sizeof promotional_purposes / sizeof *promotional_purposes)

static char purpose_names[NPURPOSES][40];
static char subject_names[SUBJECTS][16];

/* ---- contracts ----------------------------------------------------------------------------- */

typedef struct contract {
    char id[24];
    char employer[24], contractor[24];
    int stated_count;
    int stated[MAX_STATED]; /* purpose indices */
    int related_count[MAX_STATED];
    int related[MAX_STATED][MAX_RELATED]; /* purpose indices */
    int subject_count;
    int subjects[MAX_CONTRACT_SUBJECTS];      /* subject indices */
    unsigned actions;                         /* bit i: contract_actions[i] */
    int ret_y, ret_m, ret_d;                  /* retention_until */
    int64_t retention_end;                    /* its last second (23:59:59 CST), epoch */
    char datasets[DATASETS_PER_CONTRACT][48]; /* resource ids */
} contract;

static contract *contracts;
static int contract_count = CONTRACTS; /* --contracts */

/* The epoch of the first second of the earliest request time (2024-01-01 CST). */
static int64_t workload_start;

static int contract_has_purpose(const contract *c, int p) {
    for (int i = 0; i < c->stated_count; i++) {
        if (c->stated[i] == p) return 1;
        for (int k = 0; k < c->related_count[i]; k++)
            if (c->related[i][k] == p) return 1;
    }
    return 0;
}

static int contract_has_subject(const contract *c, int s) {
    for (int i = 0; i < c->subject_count; i++)
        if (c->subjects[i] == s) return 1;
    return 0;
}

static void make_contracts(void) {
    for (size_t d = 0; d < NDOMAINS; d++)
        for (size_t t = 0; t < NTASKS; t++)
            snprintf(purpose_names[d * NTASKS + t], sizeof purpose_names[0], "%s-%s", domains[d],
                     tasks[t]);
    for (int s = 0; s < SUBJECTS; s++)
        snprintf(subject_names[s], sizeof subject_names[0], "staff-%04d", s);
    workload_start = days_from_civil(2024, 1, 1) * 86400 - CST_OFFSET;
    int64_t first_day = days_from_civil(2026, 1, 1), last_day = days_from_civil(2029, 12, 31);

    for (int i = 0; i < contract_count; i++) {
        contract *c = &contracts[i];
        memset(c, 0, sizeof *c);
        snprintf(c->id, sizeof c->id, "C-2025-%04d", i + 1);
        snprintf(c->employer, sizeof c->employer, "employer-%03d", rng_range(1, 80));
        snprintf(c->contractor, sizeof c->contractor, "contractor-%02d", rng_range(1, 25));
        /* purposes: stated ones, then related ones, all distinct within the contract */
        c->stated_count = rng_range(2, MAX_STATED);
        for (int k = 0; k < c->stated_count; k++) {
            int p;
            do p = rng_range(0, NPURPOSES - 1);
            while (contract_has_purpose(c, p));
            c->stated[k] = p;
        }
        for (int k = 0; k < c->stated_count; k++) {
            int n = rng_range(0, MAX_RELATED);
            for (int r = 0; r < n; r++) {
                int p;
                do p = rng_range(0, NPURPOSES - 1);
                while (contract_has_purpose(c, p));
                c->related[k][c->related_count[k]++] = p;
            }
        }
        c->subject_count = rng_range(5, MAX_CONTRACT_SUBJECTS);
        for (int k = 0; k < c->subject_count; k++) {
            int s;
            do s = rng_range(0, SUBJECTS - 1);
            while (contract_has_subject(c, s));
            c->subjects[k] = s;
        }
        /* 2-6 of the ordinary acts; a tenth of the contracts also allow disclosure */
        int n = rng_range(2, 6);
        for (int have = 0; have < n;) {
            unsigned bit = 1u << rng_range(0, ACTION_DISCLOSE - 1);
            if (!(c->actions & bit)) c->actions |= bit, have++;
        }
        if (rng_range(0, 9) == 0) c->actions |= 1u << ACTION_DISCLOSE;
        int64_t day = first_day + rng_range(0, (int)(last_day - first_day));
        civil_from_days(day, &c->ret_y, &c->ret_m, &c->ret_d);
        c->retention_end = (day + 1) * 86400 - CST_OFFSET - 1;
        for (int k = 0; k < DATASETS_PER_CONTRACT; k++)
            snprintf(c->datasets[k], sizeof c->datasets[0], "C-2025-%04d-ds%d", i + 1, k + 1);
    }
}

/* Writes the contracts as a YAML data document. */
static int write_contracts(FILE *f, uint64_t seed) {
    fprintf(f, "# custos-bench workload, seed %" PRIu64 ": %d contracts, %d subjects\ncontracts:\n",
            seed, contract_count, SUBJECTS);
    for (int i = 0; i < contract_count; i++) {
        const contract *c = &contracts[i];
        /* a domestic employer (art. 9 stays out) and no confidentiality clause (the data is
         * not confidential information: arts. 3-7 stay out), both stated, since a contract
         * silent on them makes those articles refuse: the workload is arts. 10, 11, 13 */
        fprintf(f,
                "  %s:\n    employer: %s\n    contractor: %s\n    foreign_employer: false\n"
                "    confidentiality: false\n    purposes: [",
                c->id, c->employer, c->contractor);
        for (int k = 0; k < c->stated_count; k++)
            fprintf(f, "%s%s", k ? ", " : "", purpose_names[c->stated[k]]);
        fputs("]\n", f);
        int any_related = 0;
        for (int k = 0; k < c->stated_count; k++) any_related |= c->related_count[k] > 0;
        if (any_related) {
            fputs("    related_purposes:\n", f);
            for (int k = 0; k < c->stated_count; k++) {
                if (!c->related_count[k]) continue;
                fprintf(f, "      %s: [", purpose_names[c->stated[k]]);
                for (int r = 0; r < c->related_count[k]; r++)
                    fprintf(f, "%s%s", r ? ", " : "", purpose_names[c->related[k][r]]);
                fputs("]\n", f);
            }
        }
        fputs("    subjects: [", f);
        for (int k = 0; k < c->subject_count; k++)
            fprintf(f, "%s%s", k ? ", " : "", subject_names[c->subjects[k]]);
        fputs("]\n    actions: [", f);
        int first = 1;
        for (size_t a = 0; a < NACTIONS; a++)
            if (c->actions & (1u << a)) {
                fprintf(f, "%s%s", first ? "" : ", ", contract_actions[a]);
                first = 0;
            }
        fprintf(f, "]\n    retention_until: \"%04d-%02d-%02d\"\n", c->ret_y, c->ret_m, c->ret_d);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- requests ------------------------------------------------------------------------------ */

/* The mix: what each kind of request is, its share in percent, and the effect it is meant to
 * get.  `meant` only labels the kind; every request's expected effect comes from expect(). */
typedef enum kind {
    K_STATED,           /* a contract subject, an allowed act, a stated purpose, in time */
    K_RELATED,          /* ... a directly related purpose */
    K_CONSENTED,        /* ... an unrelated purpose the employer consented to */
    K_OTHERS_CONSENT,   /* ... consented to by the contractor itself, or by no one named */
    K_UNRELATED,        /* ... an unrelated purpose, no consent: art. 11 denies */
    K_SELL,             /* selling entrusted data: art. 13 (and 10) deny */
    K_DISCLOSE,         /* disclosing it to a broker, even where the contract allows it: art. 13 */
    K_HANDOVER_OUT,     /* an allowed hand-over (transfer, export) to a broker: art. 13 */
    K_PROMOTE,          /* promotion with it: art. 13 */
    K_CONSENTED_SELL,   /* consent to the purpose does not lift art. 13 */
    K_PROMO_PURPOSE,    /* an ordinary act for a consented promotional purpose: art. 13 */
    K_OUTSIDER,         /* a subject the contract does not name: art. 10 */
    K_ACTION_OUTSIDE,   /* an act the contract does not allow: art. 10 */
    K_EXPIRED,          /* after the retention date: art. 10 */
    K_UNKNOWN_CONTRACT, /* a contract the data does not hold: fail closed */
    K_DELETE_EXPIRED,   /* a contract subject deletes after the retention date: art. 10 wants it */
    K_NOT_ENTRUSTED,    /* the company's own data: no article applies */
    K_COUNT
} kind;

static const struct {
    const char *name;
    int percent;
    custos_effect meant;
} kinds[K_COUNT] = {
    [K_STATED] = {"stated purpose", 22, CUSTOS_PERMIT},
    [K_RELATED] = {"related purpose", 10, CUSTOS_PERMIT},
    [K_CONSENTED] = {"consented purpose", 8, CUSTOS_PERMIT},
    [K_OTHERS_CONSENT] = {"consent not the employer's", 2, CUSTOS_DENY},
    [K_UNRELATED] = {"unrelated purpose", 10, CUSTOS_DENY},
    [K_SELL] = {"sells", 6, CUSTOS_DENY},
    [K_DISCLOSE] = {"discloses", 5, CUSTOS_DENY},
    [K_HANDOVER_OUT] = {"hands over outside contract", 2, CUSTOS_DENY},
    [K_PROMOTE] = {"promotes", 2, CUSTOS_DENY},
    [K_CONSENTED_SELL] = {"consented purpose + sells", 3, CUSTOS_DENY},
    [K_PROMO_PURPOSE] = {"consented promotional purpose", 1, CUSTOS_DENY},
    [K_OUTSIDER] = {"subject outside contract", 7, CUSTOS_DENY},
    [K_ACTION_OUTSIDE] = {"action outside contract", 6, CUSTOS_DENY},
    [K_EXPIRED] = {"after retention date", 8, CUSTOS_DENY},
    [K_UNKNOWN_CONTRACT] = {"unknown contract", 3, CUSTOS_DENY},
    [K_DELETE_EXPIRED] = {"deletes after retention", 1, CUSTOS_PERMIT},
    [K_NOT_ENTRUSTED] = {"not entrusted", 4, CUSTOS_NOT_APPLICABLE},
};

/* One request as the generator made it: what the timed loop sets, field by field. */
typedef struct spec {
    const char *subject, *org, *action, *resource, *owner, *category, *contract, *purpose;
    const char *recipient; /* context.recipient (NULL: none) */
    const char *consent[2];
    const char *consent_by; /* who gave the consent (NULL: not said) */
    char time[32];
    int64_t epoch;      /* the time, for expect() */
    int contract_index; /* -1: not in the data */
    uint8_t consent_count;
    uint8_t entrusted;
    uint8_t kind;
    uint8_t expected; /* custos_effect */
} spec;

static char unknown_contract_ids[50][16];

/* A purpose the contract neither states nor relates. */
static int unrelated_purpose(const contract *c) {
    int p;
    do p = rng_range(0, NPURPOSES - 1);
    while (contract_has_purpose(c, p));
    return p;
}

/* An act the contract allows, other than delete and disclose ("use" when it allows none). */
static const char *allowed_action(const contract *c) {
    int allowed[NACTIONS], n = 0;
    for (int a = 0; a < ACTION_DELETE; a++)
        if (c->actions & (1u << a)) allowed[n++] = a;
    return n ? contract_actions[allowed[rng_range(0, n - 1)]] : NULL;
}

/* Acts that are a sale or a promotion by their nature (art. 13, whoever receives the data). */
static int is_sale_or_promotion(const char *a) {
    return strcmp(a, "sell") == 0 || strcmp(a, "promote") == 0;
}

/* Acts that put the data in someone else's hands. */
static int is_handover(const char *a) {
    return strcmp(a, "disclose") == 0 || strcmp(a, "transfer") == 0 || strcmp(a, "export") == 0 ||
           strcmp(a, "sell") == 0;
}

static int list_has(const char *const *list, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0) return 1;
    return 0;
}

/*
 * The expected effect of a request: gz-2012 articles 10, 11 and 13 as the regulation reads
 * (and as the modules' header comments read it), applied to the generated contract data.
 * Deny overrides permit; no article applies to data that is not entrusted.
 *   art. 13: entrusted data is never sold or used for promotion, nor any act but deletion
 *            done for a promotional purpose; an act that hands it to someone is a disclosure
 *            unless the recipient is the employer or a person the contract names (no recipient,
 *            or an unknown contract: deny) — consent does not lift it.
 *   art. 10: no contract (or an unknown one): deny.  Data of another employer, or a subject
 *            the contract does not name: deny.  A named subject may always delete.  Otherwise
 *            the act must be one the contract allows and the time within retention_until
 *            (inclusive to its last second, CST).
 *   art. 11: not about deletion.  The purpose must be stated, directly related to a stated
 *            one (one step), or consented to by the employer — a consent counts only when it
 *            names its giver and that is the contract's employer; no contract: deny.
 */
static custos_effect expect(const spec *s) {
    if (!s->entrusted) return CUSTOS_NOT_APPLICABLE;
    int is_delete = strcmp(s->action, "delete") == 0;
    /* art. 13 */
    int deny = is_sale_or_promotion(s->action) ||
               (!is_delete && list_has(promotional_purposes, NPROMOTIONAL, s->purpose));
    if (s->contract_index < 0) return CUSTOS_DENY; /* arts. 10 and 11 */
    const contract *c = &contracts[s->contract_index];
    if (is_handover(s->action)) {
        int inside = s->recipient && strcmp(s->recipient, c->employer) == 0;
        for (int i = 0; s->recipient && i < c->subject_count; i++)
            inside |= strcmp(subject_names[c->subjects[i]], s->recipient) == 0;
        deny |= !inside;
    }
    /* art. 10 */
    int subject_ok = 0, action_ok = 0;
    for (int i = 0; i < c->subject_count; i++)
        subject_ok |= strcmp(subject_names[c->subjects[i]], s->subject) == 0;
    for (size_t a = 0; a < NACTIONS; a++)
        action_ok |= (c->actions & (1u << a)) && strcmp(contract_actions[a], s->action) == 0;
    if (strcmp(s->owner, c->employer) != 0 || !subject_ok) return CUSTOS_DENY;
    if (!is_delete) deny |= !action_ok || s->epoch > c->retention_end;
    if (is_delete) return deny ? CUSTOS_DENY : CUSTOS_PERMIT; /* art. 11 does not apply */
    /* art. 11 */
    int purpose_ok = 0;
    for (int i = 0; i < c->stated_count; i++) {
        purpose_ok |= strcmp(purpose_names[c->stated[i]], s->purpose) == 0;
        for (int r = 0; r < c->related_count[i]; r++)
            purpose_ok |= strcmp(purpose_names[c->related[i][r]], s->purpose) == 0;
    }
    if (s->consent_by && strcmp(s->consent_by, c->employer) == 0)
        purpose_ok |= list_has(s->consent, s->consent_count, s->purpose);
    deny |= !purpose_ok;
    return deny ? CUSTOS_DENY : CUSTOS_PERMIT;
}

/* A time within the contract's retention: uniform, or (one in twenty) its very last second. */
static int64_t time_within(const contract *c) {
    if (rng_range(0, 19) == 0) return c->retention_end;
    return workload_start +
           (int64_t)(rng_next() % (uint64_t)(c->retention_end - workload_start + 1));
}

/* A time after the retention: up to two years later, or (one in five) its first second. */
static int64_t time_after(const contract *c) {
    if (rng_range(0, 4) == 0) return c->retention_end + 1;
    return c->retention_end + 1 + (int64_t)(rng_next() % (2 * 365 * 86400));
}

/* Picks a kind by the percentages of `kinds`. */
static kind pick_kind(void) {
    int roll = rng_range(0, 99);
    for (int k = 0; k < K_COUNT; k++) {
        if (roll < kinds[k].percent) return (kind)k;
        roll -= kinds[k].percent;
    }
    return K_STATED;
}

static void make_request(spec *s) {
    memset(s, 0, sizeof *s);
    kind k = pick_kind();
    int ci = rng_range(0, contract_count - 1);
    const contract *c = &contracts[ci];
    int stated = rng_range(0, c->stated_count - 1);
    s->kind = (uint8_t)k;
    s->contract_index = ci;
    s->contract = c->id;
    s->subject = subject_names[c->subjects[rng_range(0, c->subject_count - 1)]];
    s->org = c->contractor;
    s->owner = c->employer;
    s->resource = c->datasets[rng_range(0, DATASETS_PER_CONTRACT - 1)];
    s->category = rng_range(0, 1) ? "personal" : "commercial";
    s->entrusted = 1;
    s->action = allowed_action(c);
    s->purpose = purpose_names[c->stated[stated]];
    s->epoch = time_within(c);
    s->consent_by = c->employer; /* when a kind gives a consent, the employer's unless said */

    switch (k) {
    case K_STATED: break;
    case K_RELATED: {
        /* a stated purpose that has related ones; else stay a stated-purpose request */
        int with[MAX_STATED], n = 0;
        for (int i = 0; i < c->stated_count; i++)
            if (c->related_count[i]) with[n++] = i;
        if (!n) {
            s->kind = K_STATED;
            break;
        }
        int i = with[rng_range(0, n - 1)];
        s->purpose = purpose_names[c->related[i][rng_range(0, c->related_count[i] - 1)]];
        break;
    }
    case K_CONSENTED:
    case K_CONSENTED_SELL:
    case K_OTHERS_CONSENT:
        s->purpose = purpose_names[unrelated_purpose(c)];
        s->consent[s->consent_count++] = s->purpose;
        if (rng_range(0, 1)) s->consent[s->consent_count++] = purpose_names[unrelated_purpose(c)];
        if (k == K_CONSENTED_SELL) s->action = "sell";
        /* only the employer's consent counts: the contractor's own, or an unnamed giver's,
         * lifts nothing */
        if (k == K_OTHERS_CONSENT) s->consent_by = rng_range(0, 1) ? c->contractor : NULL;
        break;
    case K_UNRELATED:
        s->purpose = purpose_names[unrelated_purpose(c)];
        if (rng_range(0, 2) == 0) { /* consent to something else does not help */
            const char *other;
            do other = purpose_names[unrelated_purpose(c)];
            while (other == s->purpose);
            s->consent[s->consent_count++] = other;
        }
        break;
    case K_PROMO_PURPOSE:
        s->purpose = promotional_purposes[rng_range(0, NPROMOTIONAL - 1)];
        s->consent[s->consent_count++] = s->purpose;
        break;
    case K_SELL: s->action = "sell"; break;
    case K_DISCLOSE: s->action = "disclose"; break;
    case K_HANDOVER_OUT:
        /* a hand-over the contract allows; else stay an ordinary request */
        if (c->actions & (1u << ACTION_TRANSFER))
            s->action = "transfer";
        else if (c->actions & (1u << ACTION_EXPORT))
            s->action = "export";
        else {
            s->kind = K_STATED;
            break;
        }
        s->recipient = "data-broker-ltd";
        break;
    case K_PROMOTE: s->action = "promote"; break;
    case K_OUTSIDER: {
        int sj;
        do sj = rng_range(0, SUBJECTS - 1);
        while (contract_has_subject(c, sj));
        s->subject = subject_names[sj];
        break;
    }
    case K_ACTION_OUTSIDE: {
        int a;
        do a = rng_range(0, ACTION_DELETE - 1);
        while (c->actions & (1u << a));
        s->action = contract_actions[a];
        break;
    }
    case K_EXPIRED: s->epoch = time_after(c); break;
    case K_DELETE_EXPIRED:
        s->action = "delete";
        s->epoch = time_after(c);
        break;
    case K_UNKNOWN_CONTRACT:
        s->contract_index = -1;
        s->contract = unknown_contract_ids[rng_range(0, 49)];
        break;
    case K_NOT_ENTRUSTED: s->entrusted = 0; break;
    case K_COUNT: break;
    }
    /* who receives a hand-over: a broker when the kind is about disclosure, otherwise the
     * employer or (one in three) a person the contract names, both within the contract */
    if (is_handover(s->action) && !s->recipient) {
        if (k == K_DISCLOSE || k == K_SELL || k == K_CONSENTED_SELL)
            s->recipient = "data-broker-ltd";
        else if (rng_range(0, 2) == 0)
            s->recipient = subject_names[c->subjects[rng_range(0, c->subject_count - 1)]];
        else
            s->recipient = c->employer;
    }
    /* times in CST mostly; some in UTC ("Z") or another offset, the same instant */
    switch (rng_range(0, 9)) {
    case 0: format_time(s->time, sizeof s->time, s->epoch, 0, 1); break;
    case 1: format_time(s->time, sizeof s->time, s->epoch, -5 * 3600, 0); break;
    default: format_time(s->time, sizeof s->time, s->epoch, CST_OFFSET, 0); break;
    }
    s->expected = (uint8_t)expect(s);
}

/* ---- the timed loop ------------------------------------------------------------------------ */

/* Builds the request from its spec, field by field. */
static custos_status build_request(custos_request *req, const spec *s, custos_error *err) {
    custos_status st;
    custos_request_clear(req);
    if ((st = custos_request_set_string(req, "subject.id", s->subject, err))) return st;
    if ((st = custos_request_set_string(req, "subject.org", s->org, err))) return st;
    if ((st = custos_request_set_string(req, "action", s->action, err))) return st;
    if ((st = custos_request_set_string(req, "resource.id", s->resource, err))) return st;
    if ((st = custos_request_set_string(req, "resource.owner", s->owner, err))) return st;
    if ((st = custos_request_set_string(req, "resource.category", s->category, err))) return st;
    if ((st = custos_request_set_bool(req, "resource.entrusted", s->entrusted, err))) return st;
    if ((st = custos_request_set_string(req, "resource.contract", s->contract, err))) return st;
    if ((st = custos_request_set_string(req, "purpose", s->purpose, err))) return st;
    if ((st = custos_request_set_string(req, "context.time", s->time, err))) return st;
    if (s->recipient &&
        (st = custos_request_set_string(req, "context.recipient", s->recipient, err)))
        return st;
    for (int i = 0; i < s->consent_count; i++)
        if ((st =
                 custos_request_append_string(req, "context.consent.purposes", s->consent[i], err)))
            return st;
    if (s->consent_count &&
        (st = custos_request_set_bool(req, "context.consent.written", true, err)))
        return st;
    if (s->consent_count && s->consent_by &&
        (st = custos_request_set_string(req, "context.consent.by", s->consent_by, err)))
        return st;
    return CUSTOS_OK;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The calling thread's CPU time: what a decision took without the time it was descheduled
 * (on a shared machine the wall clock's tail is mostly other processes). */
static int64_t thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cpu_clock; /* --contracts: also time decisions on the thread's CPU clock */

static uint32_t clamp_u32(int64_t v) {
    return (uint32_t)(v < 0 ? 0 : v > UINT32_MAX ? UINT32_MAX : v);
}

typedef struct worker {
    pthread_t thread;
    custos_engine *eng;
    pthread_barrier_t *barrier;
    pthread_barrier_t *warm; /* with the main thread: memory is measured while all are warm */
    const spec *specs;
    size_t first, count;  /* its slice of the requests */
    uint32_t *latency_ns; /* per request of the slice, indexed like specs */
    uint32_t *cpu_ns;     /* the same on the thread's CPU clock (no time descheduled), or NULL */
    uint8_t *effects;     /* per request */
    uint8_t *has_errors;  /* per request */
    int64_t start_ns, end_ns;
    custos_status status; /* the first failed call, or CUSTOS_OK */
    size_t failed_at;
    custos_error err;
    int64_t cpu_total_ns; /* CPU time of the timed loop: with the wall time, the CPUs it got */
} worker;

/* Untimed: builds this thread's evaluator and warms caches on up to 10,000 requests. */
static custos_status warm_up(worker *w, custos_request *req, custos_decision *d) {
    size_t n = w->count < 10000 ? w->count : 10000;
    for (size_t i = 0; i < n; i++) {
        const spec *s = &w->specs[w->first + i];
        custos_status st = build_request(req, s, &w->err);
        if (!st) st = custos_decide(w->eng, req, 0, d, &w->err);
        if (st) {
            w->failed_at = w->first + i;
            return st;
        }
    }
    return CUSTOS_OK;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    custos_request *req = NULL;
    custos_decision *d = NULL;
    custos_status st = custos_request_new(&req);
    if (!st) st = custos_decision_new(&d);
    if (!st) st = warm_up(w, req, d);
    pthread_barrier_wait(w->warm); /* the main thread measures memory between these two */
    pthread_barrier_wait(w->warm);
    pthread_barrier_wait(w->barrier); /* everyone starts the clock together, ready or not */
    int64_t cpu_start = thread_cpu_ns();
    w->start_ns = now_ns();
    for (size_t i = w->first; !st && i < w->first + w->count; i++) {
        const spec *s = &w->specs[i];
        int64_t c0 = w->cpu_ns ? thread_cpu_ns() : 0;
        int64_t t0 = now_ns();
        st = build_request(req, s, &w->err);
        if (!st) st = custos_decide(w->eng, req, 0, d, &w->err);
        int64_t t1 = now_ns();
        if (w->cpu_ns) w->cpu_ns[i] = clamp_u32(thread_cpu_ns() - c0);
        if (st) {
            w->failed_at = i;
            break;
        }
        w->latency_ns[i] = (uint32_t)(t1 - t0 > UINT32_MAX ? UINT32_MAX : t1 - t0);
        w->effects[i] = (uint8_t)custos_decision_effect(d);
        w->has_errors[i] = custos_decision_error_count(d) > 0;
    }
    w->end_ns = now_ns();
    w->cpu_total_ns = thread_cpu_ns() - cpu_start;
    w->status = st;
    custos_decision_free(d);
    custos_request_free(req);
    return NULL;
}

typedef struct run {
    int threads;
    size_t decisions;
    double seconds, per_second;
    double cpus; /* CPU time of all threads / wall time: the CPUs the run actually got */
    double median_us, p90_us, p99_us, max_us;
    double p999_us;
    double cpu_median_us, cpu_p999_us; /* on the thread's CPU clock, with --contracts */
    size_t heap_bytes, rss_bytes;      /* the process's, every thread warm (see memory_now) */
    size_t effects[3];                 /* by custos_effect */
    size_t mismatches, with_errors;
} run;

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of sorted values, in µs (nearest rank). */
static double quantile_us(const uint32_t *sorted, size_t n, double q) {
    size_t rank = (size_t)(q * (double)n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1] / 1000.0;
}

/* Shows one request that went wrong: its JSON and the decision's, decided again. */
static void show_request(custos_engine *eng, const spec *s, size_t index, const char *why) {
    custos_request *req = NULL;
    custos_decision *d = NULL;
    custos_error err = {0};
    const char *rj = "?", *dj = "?";
    if (custos_request_new(&req) == CUSTOS_OK && custos_decision_new(&d) == CUSTOS_OK &&
        build_request(req, s, &err) == CUSTOS_OK) {
        custos_request_json(req, &rj);
        if (custos_decide(eng, req, CUSTOS_DECIDE_EXPLAIN, d, &err) == CUSTOS_OK)
            custos_decision_json(d, &dj);
        else
            dj = err.message;
    }
    fprintf(stderr, "custos-bench: request %zu (%s): %s\n  request:  %s\n  decision: %s\n", index,
            kinds[s->kind].name, why, rj, dj);
    custos_decision_free(d);
    custos_request_free(req);
}

/* The process's memory now: bytes the allocator has handed out and not taken back (mallinfo2:
 * every arena, mmapped blocks included) and the resident set (/proc/self/statm). */
static void memory_now(size_t *heap, size_t *rss) {
    struct mallinfo2 mi = mallinfo2();
    *heap = mi.uordblks + mi.hblkhd;
    *rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f && fscanf(f, "%lu %lu", &size, &resident) == 2)
        *rss = (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
    if (f) fclose(f);
}

/* Runs the workload on `threads` threads; fills *r.  Returns 0, or -1 when a call failed. */
static int run_workload(custos_engine *eng, const spec *specs, size_t n, int threads, run *r) {
    worker *workers = calloc((size_t)threads, sizeof *workers);
    uint32_t *latency = malloc(n * sizeof *latency);
    uint8_t *effects = calloc(n, 1), *errors = calloc(n, 1);
    uint32_t *cpu = cpu_clock ? malloc(n * sizeof *cpu) : NULL;
    if (!workers || !latency || !effects || !errors || (cpu_clock && !cpu)) {
        fprintf(stderr, "custos-bench: out of memory\n");
        free(workers), free(latency), free(effects), free(errors);
        return -1;
    }
    pthread_barrier_t barrier, warm;
    pthread_barrier_init(&barrier, NULL, (unsigned)threads);
    pthread_barrier_init(&warm, NULL, (unsigned)threads + 1);
    int started = 0, rc = 0;
    for (int t = 0; t < threads; t++) {
        worker *w = &workers[t];
        w->eng = eng;
        w->barrier = &barrier;
        w->warm = &warm;
        w->specs = specs;
        w->first = n * (size_t)t / (size_t)threads;
        w->count = n * (size_t)(t + 1) / (size_t)threads - w->first;
        w->latency_ns = latency;
        w->cpu_ns = cpu;
        w->effects = effects;
        w->has_errors = errors;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            fprintf(stderr, "custos-bench: cannot start thread %d: %s\n", t, strerror(errno));
            exit(1); /* the others wait at the barrier forever: give up */
        }
        started++;
    }
    pthread_barrier_wait(&warm);
    size_t heap_bytes = 0, rss_bytes = 0;
    memory_now(&heap_bytes, &rss_bytes);
    pthread_barrier_wait(&warm);
    for (int t = 0; t < started; t++) pthread_join(workers[t].thread, NULL);
    pthread_barrier_destroy(&barrier);
    pthread_barrier_destroy(&warm);

    memset(r, 0, sizeof *r);
    r->threads = threads;
    r->heap_bytes = heap_bytes;
    r->rss_bytes = rss_bytes;
    int64_t start = INT64_MAX, end = 0, cpu_total = 0;
    for (int t = 0; t < threads; t++) {
        worker *w = &workers[t];
        cpu_total += w->cpu_total_ns;
        if (w->status != CUSTOS_OK) {
            fprintf(stderr, "custos-bench: %d threads: request %zu: %s: %s\n", threads,
                    w->failed_at, custos_status_name(w->status), w->err.message);
            rc = -1;
        }
        if (w->start_ns < start) start = w->start_ns;
        if (w->end_ns > end) end = w->end_ns;
    }
    if (rc == 0) {
        int shown = 0;
        for (size_t i = 0; i < n; i++) {
            r->effects[effects[i] <= CUSTOS_DENY ? effects[i] : 0]++;
            int wrong = effects[i] != specs[i].expected;
            r->mismatches += (size_t)wrong;
            r->with_errors += errors[i];
            if ((wrong || errors[i]) && shown < 5) {
                char why[160];
                snprintf(why, sizeof why, "expected %s, got %s%s",
                         custos_effect_name((custos_effect)specs[i].expected),
                         custos_effect_name((custos_effect)effects[i]),
                         errors[i] ? " with policy errors" : "");
                show_request(eng, &specs[i], i, why);
                shown++;
            }
        }
        r->decisions = n;
        r->seconds = (double)(end - start) / 1e9;
        r->per_second = r->seconds > 0 ? (double)n / r->seconds : 0;
        r->cpus = end > start ? (double)cpu_total / (double)(end - start) : 0;
        qsort(latency, n, sizeof *latency, cmp_u32);
        r->median_us = quantile_us(latency, n, 0.50);
        r->p90_us = quantile_us(latency, n, 0.90);
        r->p99_us = quantile_us(latency, n, 0.99);
        r->p999_us = quantile_us(latency, n, 0.999);
        r->max_us = latency[n - 1] / 1000.0;
        if (cpu) {
            qsort(cpu, n, sizeof *cpu, cmp_u32);
            r->cpu_median_us = quantile_us(cpu, n, 0.50);
            r->cpu_p999_us = quantile_us(cpu, n, 0.999);
        }
    }
    free(cpu);
    free(workers), free(latency), free(effects), free(errors);
    return rc;
}

/* ---- setup --------------------------------------------------------------------------------- */

static char data_path[PATH_MAX];

static void remove_data(void) {
    if (data_path[0]) unlink(data_path);
}

/* Writes the data document to a fresh temporary file; returns 0 or -1. */
static int make_data_file(uint64_t seed) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(data_path, sizeof data_path, "%s/custos-bench-XXXXXX", dir);
    int fd = mkstemp(data_path);
    if (fd < 0) {
        fprintf(stderr, "custos-bench: cannot create a file in %s: %s\n", dir, strerror(errno));
        data_path[0] = '\0';
        return -1;
    }
    atexit(remove_data);
    FILE *f = fdopen(fd, "w");
    if (!f || write_contracts(f, seed) != 0 || fclose(f) != 0) {
        fprintf(stderr, "custos-bench: cannot write %s: %s\n", data_path, strerror(errno));
        return -1;
    }
    return 0;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- the benchmarked articles --------------------------------------------------------------- */

static char subset_dir[PATH_MAX]; /* a temporary folder holding gz-2012/ with some articles */

static void remove_subset(void) {
    if (!subset_dir[0]) return;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/gz-2012", subset_dir);
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char file[PATH_MAX + 400];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        unlink(file);
    }
    if (d) closedir(d);
    rmdir(path);
    snprintf(path, sizeof path, "%s/lib", subset_dir); /* the shared libraries' link */
    unlink(path);
    snprintf(path, sizeof path, "%s/schema.lua", subset_dir); /* the shared vocabulary's */
    unlink(path);
    rmdir(subset_dir);
    subset_dir[0] = '\0';
}

/* Copies a file; 0 or -1. */
static int copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[8192];
    size_t got;
    int rc = in && out ? 0 : -1;
    while (!rc && (got = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, got, out) != got) rc = -1;
    if (in) fclose(in);
    if (out && fclose(out)) rc = -1;
    return rc;
}

/* Links the folder src as dst when src exists (the libraries modules `require`). */
static int link_if_present(const char *src, const char *dst) {
    char real[PATH_MAX];
    if (!is_dir(src)) return 0;
    if (!realpath(src, real)) return -1;
    return symlink(real, dst);
}

/* Builds a regime folder with only the listed articles of `regime` (e.g. "10,11,13"), so the
 * bench measures the same three articles however many the library encodes.  Its regime.lua
 * is generated: the listed articles encoded, no others; the regime's own lib/ and the shared
 * lib/ beside it are linked in, and the shared schema.lua copied.  Returns the folder or NULL. */
static const char *make_subset(const char *regime, const char *articles) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(subset_dir, sizeof subset_dir, "%s/custos-bench-regime-XXXXXX", dir);
    if (!mkdtemp(subset_dir)) {
        subset_dir[0] = '\0';
        return NULL;
    }
    atexit(remove_subset);
    static char out[PATH_MAX + 16];
    snprintf(out, sizeof out, "%s/gz-2012", subset_dir);
    if (mkdir(out, 0700)) return NULL;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/regime.lua", out);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fprintf(f, "-- Generated by custos-bench: gz-2012 with only the benchmarked articles.\n"
               "return regime {\n  id = \"gz-2012\",\n"
               "  title = { zh = \"广州市服务外包企业信息安全保护实施办法（基准子集）\", "
               "en = \"gz-2012, the benchmark's subset\" },\n"
               "  document = \"穗外经贸法〔2012〕7号\",\n  issued = \"2012-04-24\", "
               "effective = \"2012-04-24\", expires = \"2017-04-23\",\n  articles = {\n");
    char list[128];
    snprintf(list, sizeof list, "%s", articles);
    int rc = 0;
    for (char *tok = strtok(list, ","); tok && !rc; tok = strtok(NULL, ",")) {
        fprintf(f,
                "    { number = \"%s\", title = { zh = \"第%s条\", en = \"Article %s\" }, "
                "encoded = true },\n",
                tok, tok, tok);
        char from[PATH_MAX + 64], to[PATH_MAX + 64];
        snprintf(from, sizeof from, "%s/art%s.lua", regime, tok);
        snprintf(to, sizeof to, "%s/art%s.lua", out, tok);
        rc = copy_file(from, to);
        if (rc) fprintf(stderr, "custos-bench: cannot copy %s\n", from);
    }
    fprintf(f, "  },\n}\n");
    if (fclose(f) || rc) return NULL;
    char own_lib[2 * PATH_MAX], shared_lib[2 * PATH_MAX], own_dst[2 * PATH_MAX],
        shared_dst[2 * PATH_MAX];
    snprintf(own_lib, sizeof own_lib, "%s/lib", regime);
    snprintf(shared_lib, sizeof shared_lib, "%s/../lib", regime);
    snprintf(own_dst, sizeof own_dst, "%s/lib", out);
    snprintf(shared_dst, sizeof shared_dst, "%s/lib", subset_dir);
    if (link_if_present(own_lib, own_dst) || link_if_present(shared_lib, shared_dst)) {
        fprintf(stderr, "custos-bench: cannot link the libraries of %s\n", regime);
        return NULL;
    }
    /* the request fields and data sections the articles read (policies/schema.lua) */
    snprintf(own_lib, sizeof own_lib, "%s/../schema.lua", regime);
    snprintf(own_dst, sizeof own_dst, "%s/schema.lua", subset_dir);
    if (access(own_lib, R_OK) == 0 && copy_file(own_lib, own_dst)) {
        fprintf(stderr, "custos-bench: cannot copy %s\n", own_lib);
        return NULL;
    }
    return out;
}

/* The policies folder: beside the executable's build tree (bin/../share/custos/policies), else
 * the source tree's, else the installed one. */
static const char *find_policies(const char *argv0, char *buf, size_t size) {
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0)
        exe[len] = '\0';
    else
        snprintf(exe, sizeof exe, "%s", argv0);
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        char rel[PATH_MAX + 32];
        snprintf(rel, sizeof rel, "%s/../share/custos/policies", exe);
        if (size >= PATH_MAX && realpath(rel, buf) && is_dir(buf)) return buf;
    }
#ifdef CUSTOS_SOURCE_DIR
    snprintf(buf, size, "%s/policies", CUSTOS_SOURCE_DIR);
    if (is_dir(buf)) return buf;
#endif
    return custos_builtin_policy_dir();
}

/* ---- output -------------------------------------------------------------------------------- */

static const char *pass(int ok) { return ok ? "PASS" : "MISS"; }

static void print_text(const run *runs, int nruns, size_t n, uint64_t seed, const size_t *mix,
                       const size_t *expected, const char *policies, const char *articles) {
    printf("custos-bench %s — gz-2012 articles %s\n", custos_version(),
           strcmp(articles, "all") == 0 ? "all encoded" : articles);
    printf("policies: %s\nworkload: %d contracts, %d subjects, %zu requests (seed %" PRIu64 ")\n\n",
           policies, contract_count, SUBJECTS, n, seed);
    printf("mix                             requests   share  expected\n");
    for (int k = 0; k < K_COUNT; k++)
        printf("  %-29s %8zu  %5.1f%%  %s\n", kinds[k].name, mix[k],
               100.0 * (double)mix[k] / (double)n, custos_effect_name(kinds[k].meant));
    printf("  expected effects: permit %zu, deny %zu, not_applicable %zu\n\n",
           expected[CUSTOS_PERMIT], expected[CUSTOS_DENY], expected[CUSTOS_NOT_APPLICABLE]);

    const run *one = NULL;
    for (int i = 0; i < nruns; i++)
        if (runs[i].threads == 1) one = &runs[i];
    printf("threads  CPUs got  decisions  median µs   p90 µs   p99 µs   max µs   decisions/s  vs 1 "
           "thread\n");
    for (int i = 0; i < nruns; i++) {
        printf("%7d  %8.2f  %9zu  %9.2f  %7.2f  %7.2f  %7.2f  %12.0f", runs[i].threads,
               runs[i].cpus, runs[i].decisions, runs[i].median_us, runs[i].p90_us, runs[i].p99_us,
               runs[i].max_us, runs[i].per_second);
        if (one) printf("  %10.2fx", runs[i].per_second / one->per_second);
        printf("\n");
    }
    printf("\n");
    for (int i = 0; i < nruns; i++)
        printf("%d thread%s: permit %zu, deny %zu, not_applicable %zu; %zu unexpected, %zu with "
               "policy errors\n",
               runs[i].threads, runs[i].threads == 1 ? " " : "s", runs[i].effects[CUSTOS_PERMIT],
               runs[i].effects[CUSTOS_DENY], runs[i].effects[CUSTOS_NOT_APPLICABLE],
               runs[i].mismatches, runs[i].with_errors);
    printf("\ntargets (reported, not enforced: timing depends on the machine)\n");
    if (one)
        printf("  median < %.0f µs, 1 thread:        %.2f µs   %s\n", TARGET_MEDIAN_US,
               one->median_us, pass(one->median_us < TARGET_MEDIAN_US));
    for (int i = 0; i < nruns && one; i++) {
        if (runs[i].threads == 1) continue;
        double ratio = runs[i].per_second / one->per_second;
        if (runs[i].threads == 2 && runs[i].cpus < 1.9)
            printf("  2 threads >= %.1fx of 1 thread:    %.2fx     not judged: the run got %.2f "
                   "CPUs, not 2\n",
                   TARGET_SCALING, ratio, runs[i].cpus);
        else if (runs[i].threads == 2)
            printf("  2 threads >= %.1fx of 1 thread:    %.2fx     %s\n", TARGET_SCALING, ratio,
                   pass(ratio >= TARGET_SCALING));
        else
            printf("  %d threads / 1 thread:            %.2fx\n", runs[i].threads, ratio);
    }
}

static void print_json(const run *runs, int nruns, size_t n, uint64_t seed, const size_t *mix,
                       const size_t *expected, int ok) {
    printf("{\"version\":\"%s\",\"seed\":%" PRIu64 ",\"contracts\":%d,\"subjects\":%d,"
           "\"requests\":%zu,\n \"mix\":[",
           custos_version(), seed, contract_count, SUBJECTS, n);
    for (int k = 0; k < K_COUNT; k++)
        printf("%s\n  {\"kind\":\"%s\",\"requests\":%zu,\"expected\":\"%s\"}", k ? "," : "",
               kinds[k].name, mix[k], custos_effect_name(kinds[k].meant));
    printf("],\n \"expected\":{\"permit\":%zu,\"deny\":%zu,\"not_applicable\":%zu},\n \"runs\":[",
           expected[CUSTOS_PERMIT], expected[CUSTOS_DENY], expected[CUSTOS_NOT_APPLICABLE]);
    const run *one = NULL;
    for (int i = 0; i < nruns; i++)
        if (runs[i].threads == 1) one = &runs[i];
    for (int i = 0; i < nruns; i++) {
        const run *r = &runs[i];
        printf("%s\n  {\"threads\":%d,\"decisions\":%zu,\"seconds\":%.6f,\"median_us\":%.2f,"
               "\"p90_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.2f,\"per_second\":%.0f,"
               "\"cpus\":%.2f,",
               i ? "," : "", r->threads, r->decisions, r->seconds, r->median_us, r->p90_us,
               r->p99_us, r->max_us, r->per_second, r->cpus);
        if (one) printf("\"ratio_to_1\":%.3f,", r->per_second / one->per_second);
        printf("\"effects\":{\"permit\":%zu,\"deny\":%zu,\"not_applicable\":%zu},"
               "\"unexpected\":%zu,\"with_policy_errors\":%zu}",
               r->effects[CUSTOS_PERMIT], r->effects[CUSTOS_DENY],
               r->effects[CUSTOS_NOT_APPLICABLE], r->mismatches, r->with_errors);
    }
    printf("],\n \"targets\":{");
    int comma = 0;
    if (one) {
        printf("\"median_us_1_thread\":{\"target\":%.2f,\"value\":%.2f,\"result\":\"%s\"}",
               TARGET_MEDIAN_US, one->median_us, pass(one->median_us < TARGET_MEDIAN_US));
        comma = 1;
    }
    for (int i = 0; i < nruns && one; i++)
        if (runs[i].threads == 2) {
            double ratio = runs[i].per_second / one->per_second;
            printf("%s\"ratio_2_to_1\":{\"target\":%.2f,\"value\":%.3f,\"result\":\"%s\"}",
                   comma ? "," : "", TARGET_SCALING, ratio, pass(ratio >= TARGET_SCALING));
        }
    printf("},\n \"ok\":%s}\n", ok ? "true" : "false");
}

/* --contracts: what the data costs — opening, memory, the tail of the latencies. */
typedef struct data_figures {
    size_t document_bytes;          /* the generated data document on disk */
    double open_ms;                 /* custos_engine_open */
    size_t heap_before, rss_before; /* before opening */
    size_t heap_open, rss_open;     /* right after */
} data_figures;

#define TARGET_MEMORY_RATIO 3.0 /* engine memory / document size, any thread count */
#define TARGET_OPEN_MS 300.0
#define TARGET_TAIL_RATIO 10.0 /* p99.9 / median */

static double mib(size_t bytes) { return (double)bytes / (1024.0 * 1024.0); }

static void print_data_figures(const data_figures *f, const run *runs, int nruns) {
    double doc = (double)f->document_bytes;
    size_t open_heap = f->heap_open - f->heap_before;
    printf("\ndata: %d contracts, a document of %.1f MiB; custos_engine_open %.0f ms; engine heap "
           "after open %.1f MiB (%.2fx the document)\n",
           contract_count, mib(f->document_bytes), f->open_ms, mib(open_heap),
           (double)open_heap / doc);
    printf("threads  engine heap MiB  x document  RSS MiB  median µs  p99 µs  p99.9 µs  "
           "p99.9/median  CPU: median µs  p99.9 µs  p99.9/median\n");
    double worst_ratio = 0, worst_tail = 0;
    for (int i = 0; i < nruns; i++) {
        const run *r = &runs[i];
        size_t heap = r->heap_bytes > f->heap_before ? r->heap_bytes - f->heap_before : 0;
        size_t rss = r->rss_bytes > f->rss_before ? r->rss_bytes - f->rss_before : 0;
        double ratio = (double)heap / doc, tail = r->p999_us / r->median_us;
        double cpu_tail = r->cpu_p999_us / r->cpu_median_us;
        if (ratio > worst_ratio) worst_ratio = ratio;
        if (cpu_tail > worst_tail) worst_tail = cpu_tail;
        printf("%7d  %15.1f  %10.2f  %7.1f  %9.2f  %6.2f  %8.2f  %12.1f  %14.2f  %8.2f  %12.1f\n",
               r->threads, mib(heap), ratio, mib(rss), r->median_us, r->p99_us, r->p999_us, tail,
               r->cpu_median_us, r->cpu_p999_us, cpu_tail);
    }
    printf("  (engine heap: bytes malloc has handed out, every thread warm, less those before "
           "open; RSS likewise)\n");
    printf("  engine memory <= %.0fx the document: %.2fx   %s\n", TARGET_MEMORY_RATIO, worst_ratio,
           pass(worst_ratio <= TARGET_MEMORY_RATIO));
    printf("  custos_engine_open <= %.0f ms:       %.0f ms   %s\n", TARGET_OPEN_MS, f->open_ms,
           pass(f->open_ms <= TARGET_OPEN_MS));
    printf("  p99.9 <= %.0fx the median (CPU):     %.1fx   %s\n", TARGET_TAIL_RATIO, worst_tail,
           pass(worst_tail <= TARGET_TAIL_RATIO));
}

/* --write-workload: the data and the requests as files, for timing `custos decide --batch`
 * on the same workload.  0, or 1 with a message. */
static int write_workload(const char *dir, const spec *specs, size_t n) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/contracts.yaml", dir);
    if (copy_file(data_path, path)) {
        fprintf(stderr, "custos-bench: cannot write %s\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/requests.jsonl", dir);
    FILE *f = fopen(path, "w");
    custos_request *req = NULL;
    custos_error err = {0};
    int rc = !f || custos_request_new(&req) ? 1 : 0;
    for (size_t i = 0; !rc && i < n; i++) {
        const char *json = NULL;
        if (build_request(req, &specs[i], &err) || custos_request_json(req, &json)) {
            rc = 1;
            break;
        }
        /* one line: the JSON's newlines and the indentation after them go (strings hold
         * escaped newlines only) */
        for (const char *c = json; *c; c++) {
            if (*c != '\n') {
                putc(*c, f);
                continue;
            }
            while (c[1] == ' ') c++;
        }
        if (putc('\n', f) == EOF) rc = 1;
    }
    custos_request_free(req);
    if (f && fclose(f)) rc = 1;
    if (rc) fprintf(stderr, "custos-bench: cannot write %s\n", path);
    return rc;
}

/* ---- --log: the decision log's cost ---------------------------------------------------------- */

/* One run of n requests on 1 thread with a log in `sync` mode attached (a temporary file). */
static int run_logged(custos_engine *eng, const spec *specs, size_t n, custos_log_sync sync,
                      run *r) {
    char path[PATH_MAX];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/custos-bench-log-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "custos-bench: cannot create a log file: %s\n", strerror(errno));
        return 1;
    }
    close(fd);
    custos_log_options opt = {sync, 0, NULL, 0, NULL, 0};
    custos_log *log = NULL;
    custos_error err = {0};
    int rc = 0;
    if (custos_log_open(path, &opt, &log, &err) != CUSTOS_OK) {
        fprintf(stderr, "custos-bench: %s: %s\n", path, err.message);
        rc = 1;
    } else {
        custos_engine_set_log(eng, log);
        rc = run_workload(eng, specs, n, 1, r);
        custos_engine_set_log(eng, NULL);
        custos_log_close(log);
    }
    unlink(path);
    return rc || r->mismatches || r->with_errors;
}

/* Batched logging against no logging in the same run (both 1 thread, the same requests, one
 * after the other), then fsync-each throughput. */
static int bench_logging(custos_engine *eng, const spec *specs, size_t n, int json) {
    run plain, batched, synced;
    size_t n_sync = n < 2000 ? n : 2000;
    if (run_workload(eng, specs, n, 1, &plain) ||
        run_logged(eng, specs, n, CUSTOS_LOG_BATCHED, &batched) ||
        run_logged(eng, specs, n_sync, CUSTOS_LOG_FSYNC_EACH, &synced))
        return 1;
    double added = 100.0 * (batched.median_us / plain.median_us - 1.0);
    double throughput = plain.per_second / batched.per_second;
    if (json) {
        printf("{\"log\":{\"plain_median_us\":%.2f,\"batched_median_us\":%.2f,"
               "\"batched_added_percent\":%.1f,\"plain_over_batched_per_second\":%.3f,"
               "\"fsync_per_second\":%.0f,\"fsync_median_us\":%.1f}}\n",
               plain.median_us, batched.median_us, added, throughput, synced.per_second,
               synced.median_us);
        return 0;
    }
    printf("\ndecision log (1 thread, the same requests, one run after the other)\n");
    printf("  no log:          median %.2f µs, %.0f decisions/s\n", plain.median_us,
           plain.per_second);
    printf("  batched (100 ms): median %.2f µs, %.0f decisions/s: %+.1f%% per decision (target "
           "<= +25%%: %s)\n",
           batched.median_us, batched.per_second, added, pass(added <= 25.0));
    printf("  fsync each:      median %.1f µs, %.0f decisions/s (%zu requests)\n", synced.median_us,
           synced.per_second, n_sync);
    return 0;
}

/* ---- main ---------------------------------------------------------------------------------- */

static int usage(FILE *f) {
    fprintf(f,
            "usage: custos-bench [--requests N] [--threads N[,N...]] [--seed N] [--policies DIR]\n"
            "                    [--articles 10,11,13|all]\n"
            "                    [--contracts N] [--json] [--log]\n"
            "  --requests N   requests per run (default %d)\n"
            "  --threads LIST thread counts to run, e.g. 1 or 1,2,4 (default 1,2)\n"
            "  --seed N       the generator's seed (default %" PRIu64 ")\n"
            "  --policies DIR a regime folder or a folder of regimes (default: the gz-2012\n"
            "                 regime of the build tree's policies)\n"
            "  --articles L   which gz-2012 articles to load (default 10,11,13, the three the\n"
            "                 workload is about; `all` loads every encoded article)\n"
            "  --json         machine-readable output\n"
            "  --log          also decide with a decision log attached (1 thread): batched mode\n"
            "                 into a temporary file, reported as the ratio to no logging in\n"
            "                 this run; then fsync-each mode's throughput (at most 2000 requests)\n"
            "  --contracts N  contracts in the generated data (default %d); also reports the\n"
            "                 open time, memory and p99.9 (run with --threads 1,4)\n"
            "  --write-workload DIR  write the workload instead of timing it: DIR/contracts.yaml\n"
            "                 and DIR/requests.jsonl (one request a line, for `custos decide\n"
            "                 --batch`)\n",
            DEFAULT_REQUESTS, DEFAULT_SEED, CONTRACTS);
    return f == stderr ? 64 : 0;
}

static int parse_count(const char *s, unsigned long long max, unsigned long long *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > max || s[0] == '-') return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv) {
    size_t n = DEFAULT_REQUESTS;
    uint64_t seed = DEFAULT_SEED;
    int thread_counts[MAX_RUNS] = {1, 2}, nruns = 2, json = 0, with_log = 0, scale = 0;
    const char *policies_arg = NULL, *articles = "10,11,13", *write_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--log") == 0) {
            with_log = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            return usage(stdout);
        } else if (strcmp(a, "--requests") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 100000000, &v)) {
                fprintf(stderr, "custos-bench: --requests: expected 1..100000000, got '%s'\n",
                        argv[i]);
                return 64;
            }
            n = (size_t)v;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], UINT64_MAX, &v)) {
                fprintf(stderr, "custos-bench: --seed: expected a positive integer, got '%s'\n",
                        argv[i]);
                return 64;
            }
            seed = (uint64_t)v;
        } else if (strcmp(a, "--contracts") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 99999, &v)) {
                fprintf(stderr, "custos-bench: --contracts: expected 1..99999, got '%s'\n",
                        argv[i]);
                return 64;
            }
            contract_count = (int)v;
            scale = cpu_clock = 1;
        } else if (strcmp(a, "--write-workload") == 0 && i + 1 < argc) {
            write_dir = argv[++i];
        } else if (strcmp(a, "--policies") == 0 && i + 1 < argc) {
            policies_arg = argv[++i];
        } else if (strcmp(a, "--articles") == 0 && i + 1 < argc) {
            articles = argv[++i];
            if (strspn(articles, "0123456789,") != strlen(articles) &&
                strcmp(articles, "all") != 0) {
                fprintf(stderr,
                        "custos-bench: --articles: expected numbers like 10,11,13 or all\n");
                return 64;
            }
        } else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
            char list[128];
            snprintf(list, sizeof list, "%s", argv[++i]);
            nruns = 0;
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
                if (nruns == MAX_RUNS || parse_count(tok, 256, &v)) {
                    fprintf(stderr,
                            "custos-bench: --threads: expected up to %d counts of 1..256, "
                            "got '%s'\n",
                            MAX_RUNS, argv[i]);
                    return 64;
                }
                thread_counts[nruns++] = (int)v;
            }
            if (!nruns) return usage(stderr);
        } else {
            fprintf(stderr, "custos-bench: unknown or incomplete option '%s'\n", a);
            return usage(stderr);
        }
    }

    /* The workload, generated before anything is timed. */
    rng_state = seed;
    contracts = calloc((size_t)contract_count, sizeof *contracts);
    if (!contracts) {
        fprintf(stderr, "custos-bench: out of memory for %d contracts\n", contract_count);
        return 1;
    }
    make_contracts();
    for (int i = 0; i < 50; i++)
        snprintf(unknown_contract_ids[i], sizeof unknown_contract_ids[0], "C-9999-%04d", i + 1);
    spec *specs = malloc(n * sizeof *specs);
    if (!specs) {
        fprintf(stderr, "custos-bench: out of memory for %zu requests\n", n);
        return 1;
    }
    size_t mix[K_COUNT] = {0}, expected[3] = {0};
    int generator_disagrees = 0;
    for (size_t i = 0; i < n; i++) {
        make_request(&specs[i]);
        mix[specs[i].kind]++;
        expected[specs[i].expected]++;
        /* the kind's label and the model must agree, or the generator itself is wrong */
        if (specs[i].expected != kinds[specs[i].kind].meant && !generator_disagrees++)
            fprintf(stderr,
                    "custos-bench: generator bug: request %zu (%s: %s %s %s for %s at %s) "
                    "is expected %s\n",
                    i, kinds[specs[i].kind].name, specs[i].subject, specs[i].action,
                    specs[i].contract, specs[i].purpose, specs[i].time,
                    custos_effect_name((custos_effect)specs[i].expected));
    }
    if (generator_disagrees) return 1;
    if (make_data_file(seed)) return 1;
    if (write_dir) {
        int rc = write_workload(write_dir, specs, n);
        remove_data();
        return rc;
    }

    /* The engine: the gz-2012 regime and the generated contracts. */
    char found[PATH_MAX], regime_dir[PATH_MAX + 16];
    const char *policies = policies_arg;
    if (!policies) {
        const char *root = find_policies(argv[0], found, sizeof found);
        if (!root) {
            fprintf(stderr, "custos-bench: cannot find the policies folder; use --policies DIR\n");
            return 1;
        }
        snprintf(regime_dir, sizeof regime_dir, "%s/gz-2012", root);
        policies = regime_dir;
        if (strcmp(articles, "all") != 0 && !(policies = make_subset(regime_dir, articles))) {
            fprintf(stderr, "custos-bench: cannot assemble the articles %s of %s\n", articles,
                    regime_dir);
            return 1;
        }
    }
    custos_config *cfg = NULL;
    custos_engine *eng = NULL;
    custos_error err = {0};
    if (custos_config_new(&cfg) || custos_config_add_policies(cfg, policies) ||
        custos_config_add_data(cfg, data_path)) {
        fprintf(stderr, "custos-bench: cannot configure the engine\n");
        return 1;
    }
    data_figures fig = {0};
    struct stat data_stat;
    if (stat(data_path, &data_stat) == 0) fig.document_bytes = (size_t)data_stat.st_size;
    memory_now(&fig.heap_before, &fig.rss_before);
    int64_t open_start = now_ns();
    custos_status st = custos_engine_open(cfg, &eng, &err);
    fig.open_ms = (double)(now_ns() - open_start) / 1e6;
    memory_now(&fig.heap_open, &fig.rss_open);
    custos_config_free(cfg);
    remove_data(); /* the engine holds the data now */
    data_path[0] = '\0';
    if (st) {
        fprintf(stderr, "custos-bench: %s%s%u:%u: %s (%s)\n", err.file, err.file[0] ? ":" : "",
                err.line, err.column, err.message, custos_status_name(st));
        return 1;
    }

    run runs[MAX_RUNS];
    int failed = 0;
    for (int i = 0; i < nruns; i++) {
        if (run_workload(eng, specs, n, thread_counts[i], &runs[i])) return 1;
        failed |= runs[i].mismatches || runs[i].with_errors;
    }
    if (json)
        print_json(runs, nruns, n, seed, mix, expected, !failed);
    else
        print_text(runs, nruns, n, seed, mix, expected, policies, articles);
    if (scale && !json) print_data_figures(&fig, runs, nruns);
    if (with_log && bench_logging(eng, specs, n, json)) failed = 1;
    if (failed)
        fprintf(stderr, "custos-bench: FAILED: some decisions were not what the generator expected "
                        "or had policy errors (examples above)\n");
    custos_engine_close(eng);
    free(specs);
    return failed ? 1 : 0;
}
