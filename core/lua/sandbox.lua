-- sandbox.lua — the hardening half of custos's Lua prelude: runs first.
--
-- Runs once in every sandboxed lua_State, before any policy, with the full standard library
-- (it is trusted code).  It hardens the shared library tables and builds the frozen base
-- environment every policy module reads its globals from.  Holds no authoring vocabulary:
-- authoring.lua, run next, adds the functions policy authors call (see docs/design.md).
--
-- `host.seal` holds the C helpers for sealing (core/src/seal.h): upvalues, a function's
-- writes to its own upvalues, a fixed key order, raw metatables; nothing else uses them.
-- `prelude` is the table the loader passes to each prelude file in turn; this file adds
--   freeze, module_env, seal_env, request_tables, request_list, show,
--   lazy_view, frozen_data, apart_parts                               (for the C loader)
--   real_of, set_of, lazy_of, data_real, data_key, pattern_find,
--   define_globals                                                    (for authoring.lua)
-- The C loader keeps only the functions it needs; the table itself is not reachable from
-- policies.

local host, prelude = ...

-- C replacements for the library functions whose work grows with their input or whose results
-- vary from run to run (core/src/safe_lib.c): charged to the budget, deterministic, no addresses.
local safe = host.safe

local error, type, pairs, ipairs, next, select, tostring, setmetatable, rawget, rawset, rawlen =
      error, type, pairs, ipairs, next, select, tostring, setmetatable, rawget, rawset, rawlen
local string_find, string_format, string_sub, table_concat, table_sort =
      string.find, string.format, string.sub, table.concat, table.sort
local upvalue, set_upvalue, is_policy, check_writes, raw_metatable =
      host.seal.upvalue, host.seal.set_upvalue, host.seal.is_policy, host.seal.check_writes,
      host.seal.metatable
local sorted_keys = safe.fixed_keys

---------------------------------------------------------------------------------------------
-- Freezing: a frozen table is an empty proxy whose metatable reads from the real table and
-- refuses writes.  Nested tables are frozen first, so reading never reaches a real table, and
-- nothing hands one out: iteration goes through a closure, in a fixed order (sorted_keys:
-- numbers, then strings bytewise, ...), never through `next, real`.
---------------------------------------------------------------------------------------------

local real_of = setmetatable({}, {__mode = "k"})  -- proxy -> real table (for fast helpers)
local set_of = setmetatable({}, {__mode = "k"})   -- proxy of a list of strings -> {s = true}
local lazy_of = setmetatable({}, {__mode = "k"})  -- proxy of shared data -> see lazy_view

local function refuse_write(_, key)
  error("attempt to modify a frozen table (field '" .. tostring(key) .. "')", 2)
end

local function refuse_global(_, name)
  error("cannot set global '" .. tostring(name) .. "' while deciding: a module's globals are " ..
        "fixed once it has loaded (use a local)", 2)
end

-- The metamethods every proxy shares (a proxy's own metatable holds only its real table as
-- __index, so a frozen table costs two small tables).  Iteration sorts the keys once (the real
-- table never changes), or on every call for the request's tables, which the engine refills.
local order_of = setmetatable({}, {__mode = "k"})     -- proxy -> its keys in order
local changing_of = setmetatable({}, {__mode = "k"})  -- proxies of tables the engine refills

-- `#` on a real table is its raw length (no real table has a __len), without a C call.
local function frozen_len(proxy)
  return #real_of[proxy]
end

-- An iterator over real's keys in the given order, returning (key, value) pairs.
local function in_order(real, keys)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k == nil then return nil end
    return k, rawget(real, k)
  end
end

local function frozen_pairs(proxy)
  local real = real_of[proxy]
  local keys = order_of[proxy]
  if not keys then
    keys = sorted_keys(real)
    if not changing_of[proxy] then order_of[proxy] = keys end
  end
  return in_order(real, keys), proxy, nil
end

-- `index`: what misses read instead of the real table; `on_write`: what a write raises;
-- `changing`: the engine refills the real table (the request's).
local function proxy_for(real, index, on_write, changing)
  local proxy = {}
  local mt = {
    __index = index or real,
    __newindex = on_write or refuse_write,
    __len = frozen_len,
    __pairs = frozen_pairs,
    __metatable = "frozen",
  }
  setmetatable(proxy, mt)
  real_of[proxy] = real
  if changing then changing_of[proxy] = true end
  return proxy
end

-- custos.has on a frozen list of strings looks the value up instead of scanning.
local function note_string_list(proxy, real)
  local set = {}
  for i = 1, rawlen(real) do set[rawget(real, i)] = true end
  set_of[proxy] = set
end

-- original table -> its frozen copy, for everything a module leaves behind (see seal_value)
local sealed = setmetatable({}, {__mode = "k"})
-- tables a module returned, walked but not copied (see seal_env)
local returned = setmetatable({}, {__mode = "k"})
local seal_value

-- Sealing walks what a module left behind recursively; a structure nested deeper than this is
-- refused (a clear load error) rather than allowed to exhaust the stack.
local MAX_SEAL_DEPTH = 200
local seal_depth = 0
local function too_deep()
  seal_depth = 0
  error("a table nested more than " .. MAX_SEAL_DEPTH .. " levels deep cannot be sealed", 0)
end

-- Freezes a tree of plain tables (data documents, library tables) in place and returns its
-- proxy.  For trusted tables only (the engine's data, the prelude's own): a module's tables are
-- sealed instead (seal_value), which copies.
local data_real
local function freeze(t)
  if type(t) ~= "table" or real_of[t] or lazy_of[t] or data_real(t) then return t end
  if sealed[t] then return sealed[t] end
  if returned[t] then  -- what a library returned: a module's, so copied
    seal_depth = 0
    return seal_value(t)
  end
  local all_strings = #t > 0
  for k, v in next, t do
    if type(v) == "table" then t[k] = freeze(v) end
    if type(k) ~= "number" or type(v) ~= "string" then all_strings = false end
  end
  local proxy = proxy_for(t)
  if all_strings then note_string_list(proxy, t) end
  return proxy
end

---------------------------------------------------------------------------------------------
-- Sealing what a module leaves behind when it has loaded: every table reachable from its
-- globals, from what it returned and from the upvalues of its functions (and theirs, and their
-- metatables') is replaced by a frozen copy, and a function that assigns to its own upvalues
-- (a module-level local, shared by every call) is refused.  Nothing a decision can reach is
-- then mutable, so nothing it does survives it.  The originals stay as they were: the engine
-- reads a module's declaration (article{}, regime{}) from the value it returned.
---------------------------------------------------------------------------------------------

-- A metatable a module gave one of its tables, for the frozen copy: its metamethods get the
-- proxy (never the real table) and are sealed themselves; __newindex, __gc, __mode,
-- __metatable and __pairs stay the proxy's own.
local function sealed_metamethods(mt, real, proxy_ref)
  local out = {}
  for k, v in next, mt do
    if k ~= "__newindex" and k ~= "__gc" and k ~= "__mode" and k ~= "__metatable" and
       k ~= "__pairs" and k ~= "__index" then
      local f = seal_value(v)
      if k == "__len" then
        out[k] = function() return f(proxy_ref[1]) end
      else
        out[k] = f
      end
    end
  end
  local fallback = rawget(mt, "__index")
  if fallback ~= nil then
    fallback = seal_value(fallback)
    setmetatable(real, {__index = type(fallback) == "function"
                          and function(_, k) return fallback(proxy_ref[1], k) end
                          or fallback})
  end
  return out
end

local function seal_function(f)
  if sealed[f] or not is_policy(f) then return end
  sealed[f] = f
  check_writes(f)
  local i = 1
  while true do
    local name, v = upvalue(f, i)
    if name == nil then break end
    local s = seal_value(v)
    if not rawequal(s, v) then set_upvalue(f, i, s) end -- raw: v may have an __eq
    i = i + 1
  end
end

seal_value = function(v)
  local t = type(v)
  if t == "function" then seal_function(v) return v end
  if t ~= "table" or real_of[v] or lazy_of[v] or data_real(v) then return v end
  local done = sealed[v]
  if done then return done end
  local real = {}
  local proxy = proxy_for(real)
  sealed[v] = proxy  -- first: a table may be its own metatable, or hold itself
  local mt = raw_metatable(v)
  if mt then
    local proxy_mt = raw_metatable(proxy)
    for k, f in next, sealed_metamethods(mt, real, {proxy}) do proxy_mt[k] = f end
  end
  local all_strings = rawlen(v) > 0
  seal_depth = seal_depth + 1
  if seal_depth > MAX_SEAL_DEPTH then too_deep() end
  for k, x in next, v do
    rawset(real, seal_value(k), seal_value(x))
    if type(k) ~= "number" or type(x) ~= "string" then all_strings = false end
  end
  seal_depth = seal_depth - 1
  if all_strings then note_string_list(proxy, real) end
  return proxy
end

---------------------------------------------------------------------------------------------
-- Lazy data.  The data documents stay in C, once for every thread (core/src/data_view.c); a
-- large table of them is a proxy like a frozen table's whose real table is a cache: the first
-- read of a key asks C for its value (a small table comes frozen whole, a large one as another
-- lazy proxy) and keeps it there, so later reads are a table hop.  `#`, pairs (keys in the
-- fixed order), custos.has, custos.field and show behave as on a frozen table.
---------------------------------------------------------------------------------------------

local function lazy_len(proxy)
  return lazy_of[proxy].len
end

-- The keys in the order pairs walks, asked of C once per proxy.
local function lazy_keys(proxy)
  local view = lazy_of[proxy]
  local keys = view.keys
  if keys == nil then
    local keep
    keys, keep = view.keys_of()
    if keep then view.keys = keys end  -- else asked again: the cache is bounded
  end
  return keys
end

local function lazy_pairs(proxy)
  local keys = lazy_keys(proxy)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k == nil then return nil end
    return k, proxy[k]
  end, proxy, nil
end

-- fetch(cache, key): C, stores and returns key's value (nil when absent); keys_of(): C, the
-- keys in order and whether to keep them; len: what # gives; set: a list of strings' items as
-- {s = true}, or nil.
local function lazy_view(fetch, keys_of, len, set)
  local cache = setmetatable({}, {__index = fetch})
  local proxy = setmetatable({}, {
    __index = cache,
    __newindex = refuse_write,
    __len = lazy_len,
    __pairs = lazy_pairs,
    __metatable = "frozen",
  })
  lazy_of[proxy] = {keys_of = keys_of, len = len}
  if set then set_of[proxy] = set end
  return proxy
end

-- Tables of shared data that C has made whole (data_view.c).  A table kept for the thread's
-- life is frozen as freeze does it (frozen_data).  One that lives for a decision (the data is
-- too large to keep) is "kept apart", and data_view.c makes it itself from apart_parts (one
-- Lua call per table cost more than its tables): it reads the same, but keeps its real table
-- and set in its own (private) metatable — {__index = real, __newindex = refuse_write,
-- __len = data_len, __pairs = data_pairs, __metatable = "frozen", [DATA] = set or true} — not
-- in the weak tables real_of and set_of: a decision on large data makes and drops such tables
-- all the time, and every entry of a weak table costs every minor collection (p99.9 twice as
-- long).  Apart costs each read through custos.has, # or pairs a C call (~9,000 instructions a
-- decision on the benchmark), so small data does not use it.
local DATA = {}

data_real = function(t)
  local mt = type(t) == "table" and raw_metatable(t)
  if mt and rawget(mt, DATA) then return rawget(mt, "__index") end
  return nil
end

local function data_len(proxy)
  return #rawget(raw_metatable(proxy), "__index")
end

local function data_pairs(proxy)
  local real = rawget(raw_metatable(proxy), "__index")
  return in_order(real, sorted_keys(real)), proxy, nil
end

-- The frozen proxy of a kept table of shared data; set: the items of a list of strings as
-- {s = true}, or nil.
local function frozen_data(real, set)
  local proxy = proxy_for(real)
  if set then set_of[proxy] = set end
  return proxy
end

-- A lazy proxy's entries as a plain table (a frozen table's real one): for the rare readers that
-- need them all at once (a metatable's edition).
local function lazy_entries(proxy)
  local out = {}
  for _, k in ipairs(lazy_keys(proxy)) do out[k] = proxy[k] end
  return out
end

-- string.find before hardening, for trusted prelude code that matches its own patterns.
local pattern_find = string_find

---------------------------------------------------------------------------------------------
-- The shared library tables, hardened.  Lua patterns can take exponential time inside C, where
-- no instruction limit reaches, so only plain (pattern-free) search is offered (safe.string.find).
---------------------------------------------------------------------------------------------

string.dump = nil
string.match = nil
string.gmatch = nil
string.gsub = nil
string.pack, string.packsize, string.unpack = nil, nil, nil
getmetatable("").__metatable = "frozen"   -- no reaching the string metatable from policies
for name, f in pairs(safe.string) do string[name] = f end
for name, f in pairs(safe.utf8) do utf8[name] = f end

local safe_math = {}
for _, name in ipairs{"abs", "ceil", "floor", "fmod", "huge", "max", "maxinteger", "min",
                      "mininteger", "modf", "pi", "sqrt", "tointeger", "type", "ult", "exp",
                      "log"} do
  safe_math[name] = math[name]
end
local safe_table = {}
for _, name in ipairs{"concat", "insert", "move", "pack", "remove", "sort", "unpack"} do
  safe_table[name] = safe.table[name] or table[name]
end

---------------------------------------------------------------------------------------------
-- The environment every module reads from.  Unknown globals are errors, so a typo such as
-- `permti(...)` names itself with file and line.
---------------------------------------------------------------------------------------------

-- A frozen table given as a metatable (a module's class, sealed once it loaded) works through
-- a private edition of it: Lua reads metamethods raw, and a proxy is empty.  getmetatable
-- gives back the frozen table, never the edition.  The edition of a table the engine refills
-- (the request's) is made anew each time, so it cannot carry one decision's values to the next.
local edition_of = setmetatable({}, {__mode = "k"})

local function metatable_edition(proxy)
  local edition = edition_of[proxy]
  if edition then return edition end
  edition = {}
  for k, v in next, real_of[proxy] or data_real(proxy) or lazy_entries(proxy) do
    if k ~= "__gc" and k ~= "__mode" then edition[k] = v end
  end
  edition.__metatable = proxy
  if not changing_of[proxy] then edition_of[proxy] = edition end
  return edition
end

-- Finalizers run whenever the collector likes — inside another article's rule, unmetered by
-- its loop-free metering — and weak tables keep what it has not yet taken: safe.setmetatable
-- (core/src/safe_lib.c) refuses both.  A frozen table's metatable cannot be changed.
local function safe_setmetatable(t, mt)
  local current = raw_metatable(t)
  if current and rawget(current, "__metatable") ~= nil then
    error("cannot change a protected metatable (a frozen table's)", 2)
  end
  if type(mt) == "table" and (real_of[mt] or lazy_of[mt] or data_real(mt)) then
    return safe.setmetatable(t, metatable_edition(mt))
  end
  return safe.setmetatable(t, mt)
end

local base = {
  string = freeze(string), table = freeze(safe_table), math = freeze(safe_math),
  utf8 = freeze(utf8),
  assert = assert, error = error, ipairs = ipairs, next = safe.next, pairs = safe.pairs,
  rawequal = safe.rawequal, rawlen = rawlen, select = safe.select, tonumber = safe.tonumber,
  tostring = safe.tostring, type = type, setmetatable = safe_setmetatable,
  getmetatable = getmetatable,
}

-- Adds the authoring globals (article, permit, custos, ...) to the base environment, frozen.
-- Called by authoring.lua while the prelude runs; policies never see it.
local function define_globals(globals)
  for name, value in pairs(globals) do rawset(base, name, freeze(value)) end
end

-- Hits read `base` directly (a table __index: no function call on the hot path); only a miss
-- reaches the function that names the undefined global.
local function undefined_global(_, name)
  error("undefined global '" .. tostring(name) .. "'", 2)
end
setmetatable(base, {__index = undefined_global})
local base_proxy = proxy_for(base)

-- Makes a fresh environment for one module: globals it defines are its own.
local function module_env()
  return setmetatable({}, {__index = base_proxy, __metatable = "frozen"})
end

-- What a module returned is left as it was for the engine, which reads the declaration
-- (article{}, regime{}) from it and keeps only an article's rule: it is walked for the functions
-- it holds, not copied.  A library's value is copied when the loader freezes it (freeze).
local function walk_returned(v, depth)
  local t = type(v)
  if t == "function" then seal_function(v) return end
  if t ~= "table" or real_of[v] or sealed[v] or returned[v] then return end
  if depth > MAX_SEAL_DEPTH then too_deep() end
  returned[v] = true
  local mt = raw_metatable(v)
  if mt then walk_returned(mt, depth + 1) end
  for k, x in next, v do
    walk_returned(k, depth + 1)
    walk_returned(x, depth + 1)
  end
end

-- Seals a module's environment once it has loaded: its globals become read-only, so no
-- decision can leave state behind for the next, and everything it leaves behind is sealed.
local function seal_env(env, result)
  local proxy = proxy_for(env, nil, refuse_global)
  sealed[env] = proxy
  seal_depth = 0
  for k, v in next, env do rawset(env, k, seal_value(v)) end
  walk_returned(result, 0)
  -- Flattened: the base globals the module does not define are copied in, so a global read
  -- costs one table hop (proxy, env) instead of three (proxy, env, base's proxy, base).  Both
  -- tables are frozen from here on, so the copy cannot go stale.
  for k, v in next, base do
    if rawget(env, k) == nil then rawset(env, k, v) end
  end
  rawset(raw_metatable(env), "__index", undefined_global)
  return proxy
end

---------------------------------------------------------------------------------------------
-- The request tables.  The engine refills the real tables for every decision; policies see
-- them through frozen proxies whose misses are checked against the request's known fields,
-- so a misspelt field such as `req.subjct` is an error rather than a silent nil.
---------------------------------------------------------------------------------------------

local function strict_request_table(where, known)
  local real = {}
  setmetatable(real, {__index = function(_, key)
    if known[key] then return nil end
    local names = {}
    for name in pairs(known) do names[#names + 1] = name end
    table_sort(names)
    error(string_format("request has no field '%s%s' (known fields: %s; read custom fields " ..
                        "with custos.field)", where, tostring(key), table_concat(names, ", ")), 2)
  end})
  return real, proxy_for(real, nil, nil, true)
end

-- `schema` maps each request table by its path ("" for the request itself, "context",
-- "context.<name>", ...) to the set of its known field names; returns real tables and proxies by the same names.
local function request_tables(schema)
  local reals, proxies = {}, {}
  for where, known in pairs(schema) do
    local prefix = where == "" and "" or where .. "."
    reals[where], proxies[where] = strict_request_table(prefix, known)
  end
  return reals, proxies
end

-- A list table the engine refills; policies see its proxy.
local function request_list()
  local real = {}
  return real, proxy_for(real, nil, nil, true)
end

---------------------------------------------------------------------------------------------
-- show(...): values as readable text, for the REPL's Lua evaluation.  Frozen tables are shown
-- through their contents, keys in the fixed order of pairs, nothing by its address; depth and
-- size are bounded so a huge value cannot flood the screen: past SHOW_LIMIT bytes the text is
-- cut, with a visible mark.
---------------------------------------------------------------------------------------------

local SHOW_LIMIT = 64 * 1024
local CUT_MARK = "…(cut)"
local show_keys, safe_tostring = safe.sorted_keys, safe.tostring

local function emit(out, piece)
  out[#out + 1] = piece
  out.size = out.size + #piece
end

local function show_value(v, depth, out)
  local t = type(v)
  if t == "string" then
    emit(out, string_format("%q", #v > SHOW_LIMIT and string_sub(v, 1, SHOW_LIMIT) or v))
  elseif t ~= "table" then
    emit(out, safe_tostring(v))
  elseif depth > 6 or #out > 4000 or out.size > SHOW_LIMIT then
    emit(out, "{...}")
  else
    local real, keys, others = real_of[v] or data_real(v) or v, nil, 0
    if lazy_of[v] then keys = lazy_keys(v) else keys, others = show_keys(real) end
    emit(out, "{")
    for i, k in ipairs(keys) do
      if out.size > SHOW_LIMIT then break end
      if i > 1 then emit(out, ", ") end
      if k ~= i then
        emit(out, type(k) == "string" and string_find(k, "^[%a_][%w_]*$") and k
                  or "[" .. string_format("%q", k) .. "]")
        emit(out, " = ")
      end
      show_value(real[k], depth + 1, out)
    end
    if others > 0 then emit(out, (#keys > 0 and ", " or "") .. "...(" .. others .. " more)") end
    emit(out, "}")
  end
end

-- text cut to at most SHOW_LIMIT bytes, on a UTF-8 character boundary, marked when cut.
local function cut(text)
  if #text <= SHOW_LIMIT then return text end
  local n = SHOW_LIMIT
  while n > 0 and string_find(text, "^[\128-\191]", n + 1) do n = n - 1 end
  return string_sub(text, 1, n) .. CUT_MARK
end

-- show runs after the evaluated code, outside its limits: its work is bounded by SHOW_LIMIT
-- for all the values together (one budget, not one each: 200,000 values of a large table made
-- 200,000 texts of 64 KiB), and the values are taken once (select(i, ...) in a loop is
-- quadratic: 200,000 values hung the REPL).
local function show(...)
  local n, values = select("#", ...), {...}
  local out = {size = 0}
  for i = 1, n do
    if out.size > SHOW_LIMIT then break end
    if i > 1 then emit(out, "\t") end
    show_value(values[i], 1, out)
  end
  return cut(table_concat(out))
end
prelude.freeze = freeze
prelude.module_env = module_env
prelude.seal_env = seal_env
prelude.request_tables = request_tables
prelude.request_list = request_list
prelude.show = show
prelude.real_of = real_of
prelude.set_of = set_of
prelude.lazy_of = lazy_of
prelude.data_real = data_real
prelude.lazy_view = lazy_view
prelude.frozen_data = frozen_data
-- What a table kept apart is made of, for data_view.c, which makes such tables (see DATA).
prelude.apart_parts = {refuse_write, data_len, data_pairs, DATA}
prelude.data_key = DATA
prelude.pattern_find = pattern_find
prelude.define_globals = define_globals
