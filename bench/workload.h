/*
 * workload.h — the deterministic workload of the benchmarks: generated contracts and requests,
 * each request with the effect gz-2012 arts. 10, 11 and 13 give it (expect(), a C model of the
 * articles independent of the engine).  Used by custos-bench (the engine) and custos-floor
 * (the same articles in plain Lua 5.4, the floor the engine is measured against).
 */
#ifndef CUSTOS_BENCH_WORKLOAD_H
#define CUSTOS_BENCH_WORKLOAD_H

#include <custos.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- workload shape ------------------------------------------------------------------------ */

#define CONTRACTS 200
#define SUBJECTS 2000
#define DEFAULT_REQUESTS 100000
#define DEFAULT_SEED UINT64_C(0x637573746f73) /* "custos" */
#define MAX_STATED 4
#define MAX_RELATED 2
#define MAX_CONTRACT_SUBJECTS 20
#define DATASETS_PER_CONTRACT 3

#define CST_OFFSET (8 * 3600)

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
    char retention_until[32];                 /* "YYYY-MM-DD" */
    int64_t retention_end;                    /* its last second (23:59:59 CST), epoch */
    char datasets[DATASETS_PER_CONTRACT][48]; /* resource ids */
} contract;

/* The generated contracts (contract_count of them) and the names they use. */
extern contract *contracts;
extern int contract_count;
extern char subject_names[SUBJECTS][16];

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

/* Each kind: its label, its share in percent, the effect it is meant to get. */
typedef struct kind_info {
    const char *name;
    int percent;
    custos_effect meant;
} kind_info;
extern const kind_info kinds[K_COUNT];

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

/* Generates contract_count contracts (set it first) and n requests from the seed into specs,
 * counting them by kind (mix) and by expected effect (expected).  Returns -1 when out of
 * memory or when a request's kind and its expected effect disagree (a generator bug,
 * reported on stderr). */
int workload_make(uint64_t seed, spec *specs, size_t n, size_t mix[K_COUNT], size_t expected[3]);

/* The names behind a contract's indices: purpose i, act a of the acts a contract may allow
 * (bit a of contract.actions), and how many such acts there are. */
const char *workload_purpose(int i);
const char *workload_action(int a);
int workload_action_count(void);

/* Writes the contracts as a YAML data document; -1 on a write error. */
int workload_write_contracts(FILE *f, uint64_t seed);

#endif
