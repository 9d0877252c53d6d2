/*
 * safe_lib.h — the C library functions policies get in place of the standard ones whose work
 * grows with their input or whose results differ from run to run.
 *
 * Bounded: every function here works out its cost from its arguments and charges it to the
 * decision's instruction budget (through the charge function the loader gives,
 * sandbox_charge) before doing the work, so a call that would loop inside C
 * (string.rep("", 2^53), table.insert under a hostile __len, a plain find of "aaa…b" in
 * "aaa…a") ends with the instruction-limit error instead.  Bytes whose number is known only
 * once the work is done (string.rep's result, table.concat's pieces) are charged right after:
 * the memory limit bounded them.
 *
 * Deterministic: pairs and next walk keys in one order (numbers ascending, then strings
 * bytewise, then false, true; other keys are refused), not Lua's per-state hash order;
 * table.sort is a stable merge sort (no randomized pivot); tostring and string.format never
 * show an address; setmetatable refuses weak tables (what the collector keeps depends on the
 * state's history).
 */
#ifndef CUSTOS_SAFE_LIB_H
#define CUSTOS_SAFE_LIB_H

#include <stdint.h>

#include <lua.h>

/* Bytes of memory a charged function may copy or scan for one instruction of the budget. */
#define SAFE_LIB_BYTES_PER_INSTRUCTION 32

/* Charges instructions to the run under way, raising the limit error when it is spent. */
typedef void (*safe_lib_charge_fn)(lua_State *L, uint64_t instructions);

/* Sets host.safe (host at index `host`) to a table of the replacements, for the prelude to
 * install in the library tables it hardens: { pairs, next, tostring, setmetatable, select,
 * tonumber, rawequal, sorted_keys, string = {...}, table = {...}, utf8 = {...} }.  Reads the
 * standard functions it wraps from the global library tables, which must still be there. */
void safe_lib_add(lua_State *L, int host, safe_lib_charge_fn charge);

#endif
