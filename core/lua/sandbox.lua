-- sandbox.lua — the hardening half of custos's Lua prelude: runs first.
--
-- Runs once in every sandboxed lua_State, before any policy, with the full standard library
-- (it is trusted code).  It hardens the shared library tables and builds the frozen base
-- environment every policy module reads its globals from.  Holds no authoring vocabulary:
-- authoring.lua, run next, adds the functions policy authors call (see docs/design.md).
--
-- `prelude` is the table the loader passes to each prelude file in turn; this file adds
--   freeze, module_env, seal_env, request_tables, request_list, show   (for the C loader)
--   real_of, set_of, pattern_find, define_globals                     (for authoring.lua)
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

---------------------------------------------------------------------------------------------
-- Freezing: a frozen table is an empty proxy whose metatable reads from the real table and
-- refuses writes.  Nested tables are frozen first, so iteration never reaches a real table.
---------------------------------------------------------------------------------------------

local real_of = setmetatable({}, {__mode = "k"})  -- proxy -> real table (for fast helpers)
local set_of = setmetatable({}, {__mode = "k"})   -- proxy of a list of strings -> {s = true}

local function refuse_write(_, key)
  error("attempt to modify a frozen table (field '" .. tostring(key) .. "')", 2)
end

local function refuse_global(_, name)
  error("cannot set global '" .. tostring(name) .. "' while deciding: a module's globals are " ..
        "fixed once it has loaded (use a local)", 2)
end

local function proxy_for(real, index, on_write)
  local proxy = {}
  setmetatable(proxy, {
    __index = index or real,
    __newindex = on_write or refuse_write,
    __len = function() return #real end,
    __pairs = function() return next, real, nil end,
    __metatable = "frozen",
  })
  real_of[proxy] = real
  return proxy
end

-- Freezes a tree of plain tables (data documents, library tables) and returns its proxy.
local function freeze(t)
  if type(t) ~= "table" or real_of[t] then return t end
  local all_strings = #t > 0
  for k, v in next, t do
    if type(v) == "table" then t[k] = freeze(v) end
    if type(k) ~= "number" or type(v) ~= "string" then all_strings = false end
  end
  local proxy = proxy_for(t)
  if all_strings then
    local set = {}
    for i = 1, #t do set[t[i]] = true end
    set_of[proxy] = set
  end
  return proxy
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

-- Finalizers run whenever the collector likes — inside another article's rule, unmetered by
-- its loop-free metering — and weak tables keep what it has not yet taken: safe.setmetatable
-- refuses both.
local base = {
  string = freeze(string), table = freeze(safe_table), math = freeze(safe_math),
  utf8 = freeze(utf8),
  assert = assert, error = error, ipairs = ipairs, next = safe.next, pairs = safe.pairs,
  rawequal = safe.rawequal, rawlen = rawlen, select = safe.select, tonumber = safe.tonumber,
  tostring = safe.tostring, type = type, setmetatable = safe.setmetatable,
  getmetatable = getmetatable,
}

-- Adds the authoring globals (article, permit, custos, ...) to the base environment, frozen.
-- Called by authoring.lua while the prelude runs; policies never see it.
local function define_globals(globals)
  for name, value in pairs(globals) do rawset(base, name, freeze(value)) end
end

-- Hits read `base` directly (a table __index: no function call on the hot path); only a miss
-- reaches the function that names the undefined global.
setmetatable(base, {
  __index = function(_, name)
    error("undefined global '" .. tostring(name) .. "'", 2)
  end,
})
local base_proxy = proxy_for(base)

-- Makes a fresh environment for one module: globals it defines are its own.
local function module_env()
  return setmetatable({}, {__index = base_proxy, __metatable = "frozen"})
end

-- Seals a module's environment once it has loaded: its globals become read-only, so no
-- decision can leave state behind for the next.
local function seal_env(env)
  return proxy_for(env, nil, refuse_global)
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
  return real, proxy_for(real)
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
  return real, proxy_for(real)
end

---------------------------------------------------------------------------------------------
-- show(...): values as readable text, for the REPL's Lua evaluation.  Frozen tables are shown
-- through their contents, keys in the fixed order of pairs, nothing by its address; depth and
-- size are bounded so a huge value cannot flood the screen: past SHOW_LIMIT bytes the text is
-- cut, with a visible mark.
---------------------------------------------------------------------------------------------

local SHOW_LIMIT = 64 * 1024
local CUT_MARK = "…(cut)"
local sorted_keys, safe_tostring = safe.sorted_keys, safe.tostring

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
    local real = real_of[v] or v
    local keys, others = sorted_keys(real)
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

local function show(...)
  local parts = {}
  for i = 1, select("#", ...) do
    local out = {size = 0}
    show_value((select(i, ...)), 1, out)
    parts[i] = table_concat(out)
  end
  return cut(table_concat(parts, "\t"))
end
prelude.freeze = freeze
prelude.module_env = module_env
prelude.seal_env = seal_env
prelude.request_tables = request_tables
prelude.request_list = request_list
prelude.show = show
prelude.real_of = real_of
prelude.set_of = set_of
prelude.pattern_find = pattern_find
prelude.define_globals = define_globals
