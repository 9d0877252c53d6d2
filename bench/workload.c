/*
 * workload.c — the benchmarks' generated contracts and requests (see workload.h).
 */
#include "workload.h"

#include "timeutil.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

/* Writes epoch seconds as RFC 3339 with the given offset from UTC (in seconds; "Z" when 0 and
 * zulu), through the library's own formatter. */
static void format_time(char *buf, size_t size, int64_t epoch, int offset, int zulu) {
    time_format_offset(epoch, offset / 60, buf, size);
    if (zulu && offset == 0) snprintf(buf + 19, size - 19, "Z"); /* for "+00:00" */
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
char subject_names[SUBJECTS][16];

contract *contracts;
int contract_count = CONTRACTS;

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
    workload_start = time_days_from_civil(2024, 1, 1) * 86400 - CST_OFFSET;
    int64_t first_day = time_days_from_civil(2026, 1, 1),
            last_day = time_days_from_civil(2029, 12, 31);

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
        time_format_offset(day * 86400, 0, c->retention_until, sizeof c->retention_until);
        c->retention_until[10] = '\0'; /* the date only */
        c->retention_end = (day + 1) * 86400 - CST_OFFSET - 1;
        for (int k = 0; k < DATASETS_PER_CONTRACT; k++)
            snprintf(c->datasets[k], sizeof c->datasets[0], "C-2025-%04d-ds%d", i + 1, k + 1);
    }
}

/* Writes the contracts as a YAML data document. */
int workload_write_contracts(FILE *f, uint64_t seed) {
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
        fprintf(f, "]\n    retention_until: \"%s\"\n", c->retention_until);
    }
    return ferror(f) ? -1 : 0;
}

const kind_info kinds[K_COUNT] = {
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

int workload_make(uint64_t seed, spec *specs, size_t n, size_t mix[K_COUNT], size_t expected[3]) {
    rng_state = seed;
    contracts = calloc((size_t)contract_count, sizeof *contracts);
    if (!contracts) {
        fprintf(stderr, "out of memory for %d contracts\n", contract_count);
        return -1;
    }
    make_contracts();
    for (int i = 0; i < 50; i++)
        snprintf(unknown_contract_ids[i], sizeof unknown_contract_ids[0], "C-9999-%04d", i + 1);
    int generator_disagrees = 0;
    for (size_t i = 0; i < n; i++) {
        make_request(&specs[i]);
        mix[specs[i].kind]++;
        expected[specs[i].expected]++;
        /* the kind's label and the model must agree, or the generator itself is wrong */
        if (specs[i].expected != kinds[specs[i].kind].meant && !generator_disagrees++)
            fprintf(stderr,
                    "generator bug: request %zu (%s: %s %s %s for %s at %s) is expected %s\n", i,
                    kinds[specs[i].kind].name, specs[i].subject, specs[i].action, specs[i].contract,
                    specs[i].purpose, specs[i].time,
                    custos_effect_name((custos_effect)specs[i].expected));
    }
    return generator_disagrees ? -1 : 0;
}

const char *workload_purpose(int i) { return purpose_names[i]; }
const char *workload_action(int a) { return contract_actions[a]; }
int workload_action_count(void) { return (int)NACTIONS; }
