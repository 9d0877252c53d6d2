-- prelude.lua — the Lua half of custos's authoring library.
--
-- Runs once in every sandboxed lua_State, before any policy, with the full standard library
-- (it is trusted code).  It hardens the shared library tables, builds the frozen base
-- environment every policy module reads its globals from, and returns the functions the C
-- loader needs.  Policy authors see: article, regime, permit, deny, not_applicable, custos.*
-- and a safe subset of Lua's standard library (see docs/authoring.md).
--
-- `host` is a table of C functions passed in by the loader:
--   host.date_end(s) / host.date_start(s) -> epoch seconds, or nil, why
--   host.instant(s)                        -> epoch seconds, or nil, why

local host = ...

local error, type, pairs, ipairs, next, select, tostring, setmetatable, rawget, rawset, rawlen =
      error, type, pairs, ipairs, next, select, tostring, setmetatable, rawget, rawset, rawlen
local string_find, string_format, table_concat, table_sort =
      string.find, string.format, table.concat, table.sort

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

---------------------------------------------------------------------------------------------
-- The shared library tables, hardened.  Lua patterns can take exponential time inside C, where
-- no instruction limit reaches, so only plain (pattern-free) search is offered.
---------------------------------------------------------------------------------------------

local function plain_find(s, needle, init)
  return string_find(s, needle, init, true)
end

string.dump = nil
string.find = plain_find
string.match = nil
string.gmatch = nil
string.gsub = nil
string.pack, string.packsize, string.unpack = nil, nil, nil
getmetatable("").__metatable = "frozen"   -- no reaching the string metatable from policies

local safe_math = {}
for _, name in ipairs{"abs", "ceil", "floor", "fmod", "huge", "max", "maxinteger", "min",
                      "mininteger", "modf", "pi", "sqrt", "tointeger", "type", "ult", "exp",
                      "log"} do
  safe_math[name] = math[name]
end
local safe_table = {}
for _, name in ipairs{"concat", "insert", "move", "pack", "remove", "sort", "unpack"} do
  safe_table[name] = table[name]
end

---------------------------------------------------------------------------------------------
-- Verdicts.  A rule returns one of these; they are multiple values, not tables, so deciding
-- allocates nothing: effect, message code, params (table or nil), obligations (list or nil).
---------------------------------------------------------------------------------------------

local function permit(code, params, obligations)
  return "permit", code, params, obligations
end
local function deny(code, params, obligations)
  return "deny", code, params, obligations
end
local function not_applicable(code, params)
  return "not_applicable", code, params
end

---------------------------------------------------------------------------------------------
-- Declarations: article{...} and regime{...} check their shape here, so an author's mistake
-- is reported at load time with the file and line of the declaration.
---------------------------------------------------------------------------------------------

local ARTICLE_TAG, REGIME_TAG = {}, {}

local function fail(level, fmt, ...)
  error(string_format(fmt, ...), level + 1)
end

local function check_fields(what, t, allowed, level)
  for k in pairs(t) do
    if type(k) ~= "string" or not allowed[k] then
      local names = {}
      for name in pairs(allowed) do names[#names + 1] = name end
      table_sort(names)
      fail(level + 1, "%s: unknown field '%s' (expected one of: %s)", what, tostring(k),
           table_concat(names, ", "))
    end
  end
end

local function check_text(what, field, v, level)
  if type(v) ~= "string" or v == "" then
    fail(level + 1, "%s: '%s' must be a non-empty string, got %s", what, field,
         v == "" and "an empty string" or type(v))
  end
end

local function check_bilingual(what, field, v, level)
  if type(v) ~= "table" then
    fail(level + 1, "%s: '%s' must be a table {zh = \"...\", en = \"...\"}, got %s",
         what, field, type(v))
  end
  check_fields(what .. " " .. field, v, {zh = true, en = true}, level + 1)
  check_text(what, field .. ".zh", v.zh, level + 1)
  check_text(what, field .. ".en", v.en, level + 1)
end

local function article_number(what, v, level)
  if math.type(v) == "integer" then v = tostring(v) end
  if type(v) ~= "string" or not string_find(v, "^%d+[a-z]?$") then
    fail(level + 1, "%s: 'number' must be the article's number, like \"11\", got %s", what,
         tostring(v))
  end
  return v
end

local ARTICLE_FIELDS = {regime = true, number = true, title = true, text = true,
                        citation = true, implements = true, messages = true, rule = true,
                        obligations = true}

-- article{...}: declares the module's article.  The regime is taken from the folder; if given
-- it must match (checked by the loader).
local function article(spec)
  local what = "article"
  if type(spec) ~= "table" then fail(2, "article{...} expects a table, got %s", type(spec)) end
  check_fields(what, spec, ARTICLE_FIELDS, 2)
  local number = article_number(what, spec.number, 2)
  what = "article " .. number
  check_bilingual(what, "title", spec.title, 2)
  check_bilingual(what, "text", spec.text, 2)
  check_text(what, "citation", spec.citation, 2)
  if spec.regime ~= nil then check_text(what, "regime", spec.regime, 2) end
  if type(spec.rule) ~= "function" then
    fail(2, "%s: 'rule' must be a function(req, data) returning permit(...), deny(...) or " ..
            "not_applicable(...), got %s", what, type(spec.rule))
  end
  -- Copied into plain tables: a module may take messages from a library (frozen), and the
  -- engine reads what article{} returns without metamethods.
  local messages, any = {}, false
  if type(spec.messages) == "table" then
    for code, msg in pairs(spec.messages) do
      if type(code) ~= "string" or not string_find(code, "^[%w][%w%-_]*$") then
        fail(2, "%s: message code %s must be a word like \"unrelated-purpose\"", what,
             tostring(code))
      end
      check_bilingual(what, "messages." .. code, msg, 2)
      messages[code] = {zh = msg.zh, en = msg.en}
      any = true
    end
  end
  if not any then
    fail(2, "%s: 'messages' must be a table of message codes, each {zh = ..., en = ...}", what)
  end
  local implements = {}
  if spec.implements ~= nil then
    if type(spec.implements) ~= "table" then
      fail(2, "%s: 'implements' must be a list of {regime = ..., article = ...}", what)
    end
    for i, ref in ipairs(spec.implements) do
      if type(ref) ~= "table" then
        fail(2, "%s: implements[%d] must be {regime = ..., article = ...}", what, i)
      end
      check_fields(what .. " implements[" .. i .. "]", ref, {regime = true, article = true}, 2)
      check_text(what, "implements[" .. i .. "].regime", ref.regime, 2)
      implements[i] = {regime = ref.regime, article = article_number(what, ref.article, 2)}
    end
  end
  local declared_obligations = {}
  if spec.obligations ~= nil then
    if type(spec.obligations) ~= "table" then
      fail(2, "%s: 'obligations' must be a list of obligation ids", what)
    end
    for i, id in ipairs(spec.obligations) do
      check_text(what, "obligations[" .. i .. "]", id, 2)
      declared_obligations[i] = id
    end
  end
  return {
    [ARTICLE_TAG] = true,
    regime = spec.regime, number = number, title = spec.title, text = spec.text,
    citation = spec.citation, implements = implements, messages = messages,
    rule = spec.rule, obligations = declared_obligations,
  }
end

local REGIME_FIELDS = {id = true, title = true, document = true, issuers = true, issued = true,
                       effective = true, expires = true, source = true, articles = true,
                       notes = true, data = true, default_mode = true, request = true,
                       types = true}
local LISTED_ARTICLE_FIELDS = {number = true, title = true, encoded = true, reason = true}

local function check_date(what, field, v, level)
  check_text(what, field, v, level + 1)
  local epoch, why = host.date_start(v)
  if not epoch then fail(level + 1, "%s: '%s' %s", what, field, why) end
end

-- regime{...}: the metadata of a regime folder (regime.lua).
local function regime(spec)
  if type(spec) ~= "table" then fail(2, "regime{...} expects a table, got %s", type(spec)) end
  check_fields("regime", spec, REGIME_FIELDS, 2)
  check_text("regime", "id", spec.id, 2)
  local what = "regime " .. spec.id
  check_bilingual(what, "title", spec.title, 2)
  check_text(what, "document", spec.document, 2)
  check_date(what, "issued", spec.issued, 2)
  check_date(what, "effective", spec.effective, 2)
  if spec.expires ~= nil then check_date(what, "expires", spec.expires, 2) end
  if type(spec.articles) ~= "table" or #spec.articles == 0 then
    fail(2, "%s: 'articles' must list every article of the document", what)
  end
  local seen = {}
  for i, a in ipairs(spec.articles) do
    local w = what .. " articles[" .. i .. "]"
    if type(a) ~= "table" then fail(2, "%s must be a table", w) end
    check_fields(w, a, LISTED_ARTICLE_FIELDS, 2)
    local number = article_number(w, a.number, 2)
    if seen[number] then fail(2, "%s: article %s is listed twice", what, number) end
    seen[number] = true
    check_bilingual(w, "title", a.title, 2)
    if type(a.encoded) ~= "boolean" then
      fail(2, "%s: 'encoded' must be true or false", w)
    end
    if not a.encoded then check_text(w, "reason", a.reason, 2) end
    a.number = number
  end
  if spec.default_mode ~= nil and spec.default_mode ~= "adopted" and
     spec.default_mode ~= "in-force" and spec.default_mode ~= "skipped" then
    fail(2, "%s: 'default_mode' must be \"adopted\", \"in-force\" or \"skipped\", got %s", what,
         tostring(spec.default_mode))
  end
  -- `types`, `request` and `data` (the regime's vocabulary) are checked by the loader (schema.c)
  spec[REGIME_TAG] = true
  return spec
end

---------------------------------------------------------------------------------------------
-- Helpers for the recurring questions.  Each returns plain values; none allocates on the
-- common path.
---------------------------------------------------------------------------------------------

local custos = {}

-- Message tables merged into a new one, later tables overriding earlier ones by code: lets an
-- article take the messages of a library it shares with another article, and reword some.
function custos.messages(...)
  local merged = {}
  for i = 1, select("#", ...) do
    local t = select(i, ...)
    if type(t) ~= "table" then
      error("custos.messages: argument " .. i .. " must be a table of messages", 2)
    end
    for code, msg in pairs(t) do merged[code] = msg end
  end
  return merged
end

-- True when list (a list of strings from a request or data) contains value.
function custos.has(list, value)
  if list == nil then return false end
  local set = set_of[list]
  if set then return set[value] == true end
  local real = real_of[list] or list
  for i = 1, #real do
    if real[i] == value then return true end
  end
  return false
end

-- Reads a field by dotted path without the strict check: for optional, custom fields.
function custos.field(t, path)
  local pos = 1
  while t ~= nil do
    local dot = string_find(path, ".", pos, true)
    local key = path:sub(pos, (dot or 0) - 1)
    local real = real_of[t]
    if real then t = rawget(real, key) elseif type(t) == "table" then t = rawget(t, key) else return nil end
    if not dot then return t end
    pos = dot + 1
  end
  return nil
end

-- The contract the request's resource names, or nil and why ("no-contract" when the request
-- names none, "unknown-contract" when the data has no such contract).
function custos.contract(req, data)
  local id = req.resource.contract
  if id == nil then return nil, "no-contract" end
  local contracts = rawget(real_of[data] or data, "contracts")
  local c = contracts and contracts[id]
  if c == nil then return nil, "unknown-contract" end
  return c
end

-- Whether the request's time falls in a consent's validity window (valid_from / valid_until,
-- dates inclusive in China Standard Time; a missing bound is open on that side).
local function consent_valid(consent, req)
  local now = req.context.epoch
  local from, until_date = consent.valid_from, consent.valid_until
  if from ~= nil and now < host.date_start(from) then return false end
  if until_date ~= nil and now > host.date_end(until_date) then return false end
  return true
end
custos.consent_valid = consent_valid

-- How the request's purpose stands under the contract, with the stated purpose it was judged
-- against where there is one:
--   "stated"                 the contract states it;
--   "narrower", stated       the catalogue declares it narrower than a stated purpose (its
--                            `narrower` list, or the purpose's own `broader` list): within it;
--   "related", stated        one step from a stated purpose, declared by the contract's
--                            `related_purposes` (preferred) or the catalogue's `related`;
--                            related-of-related is not related;
--   "consented"              listed in the employer's consent, and the consent is valid now;
--   nil, "broader", stated   declared broader than a stated purpose: not within it;
--   nil, "consent-not-valid" consented to, but outside the consent's validity window;
--   nil                      none of these.
function custos.purpose_basis(contract, req, data)
  local purpose = req.purpose
  if purpose == nil then return nil end
  if custos.has(contract.purposes, purpose) then return "stated" end
  local stated = real_of[contract.purposes]
  local catalogue = data and custos.field(data, "purposes")
  local own = catalogue and catalogue[purpose]
  local broader_than
  if stated then
    for i = 1, #stated do
      local entry = catalogue and catalogue[stated[i]]
      if entry and custos.has(entry.narrower, purpose) or own and custos.has(own.broader, stated[i]) then
        return "narrower", stated[i]
      end
      if entry and custos.has(entry.broader, purpose) or own and custos.has(own.narrower, stated[i]) then
        broader_than = broader_than or stated[i]
      end
    end
    local related = contract.related_purposes
    if related then
      for i = 1, #stated do
        -- index directly: purpose ids may contain dots
        if custos.has(related[stated[i]], purpose) then return "related", stated[i] end
      end
    end
    if catalogue then
      for i = 1, #stated do
        local entry = catalogue[stated[i]]
        if entry and custos.has(entry.related, purpose) then return "related", stated[i] end
      end
    end
  end
  local consent = req.context.consent
  if consent and custos.has(consent.purposes, purpose) then
    if consent_valid(consent, req) then return "consented" end
    return nil, "consent-not-valid"
  end
  if broader_than then return nil, "broader", broader_than end
  return nil
end

-- The request's time as epoch seconds (always present: the engine refuses requests without).
function custos.now(req)
  return req.context.epoch
end

-- Whether the request's time is within the contract's retention: true, false, or nil when the
-- contract states no retention.  "until" dates are inclusive, to the last second of that day
-- in China Standard Time.
-- Dates come from the loaded data (checked at load), so the set is small and fixed: remember
-- each one's last second instead of parsing it on every decision.
local date_end_of = {}

function custos.within_retention(contract, req)
  local until_date = contract.retention_until
  if until_date == nil then return nil end
  local last = date_end_of[until_date]
  if last == nil then
    last = host.date_end(until_date)
    if last == nil then error("contract retention_until is not a date: " .. tostring(until_date), 2) end
    date_end_of[until_date] = last
  end
  return req.context.epoch <= last
end

-- Epoch seconds of the first / last second of a date (China Standard Time), or nil, why.
custos.date_start = host.date_start
custos.date_end = host.date_end
custos.instant = host.instant

---------------------------------------------------------------------------------------------
-- The environment every module reads from.  Unknown globals are errors, so a typo such as
-- `permti(...)` names itself with file and line.
---------------------------------------------------------------------------------------------

-- Finalizers run whenever the collector likes — inside another article's rule, unmetered by
-- its loop-free metering — so policies may not set them.
local function safe_setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("__gc metamethods are not allowed in policies", 2)
  end
  return setmetatable(t, mt)
end

local base = {
  article = article, regime = regime,
  permit = permit, deny = deny, not_applicable = not_applicable,
  custos = freeze(custos),
  string = freeze(string), table = freeze(safe_table), math = freeze(safe_math),
  utf8 = freeze(utf8),
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs,
  rawequal = rawequal, rawlen = rawlen, select = select, tonumber = tonumber,
  tostring = tostring, type = type, setmetatable = safe_setmetatable, getmetatable = getmetatable,
}
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

local function is_article(v) return type(v) == "table" and v[ARTICLE_TAG] == true end
local function is_regime(v) return type(v) == "table" and v[REGIME_TAG] == true end

---------------------------------------------------------------------------------------------
-- The request tables.  The engine refills the real tables for every decision; policies see
-- them through frozen proxies whose misses are checked against the request's known fields,
-- so `req.resource.entrustd` is an error rather than a silent nil.
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

-- `schema` maps each request table ("", "subject", "resource", "context", "context.consent")
-- to the set of its known field names; returns real tables and proxies by the same names.
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
-- through their contents; depth and size are bounded so a huge table cannot flood the screen.
---------------------------------------------------------------------------------------------

local function show_value(v, depth, out)
  local t = type(v)
  if t == "string" then
    out[#out + 1] = string_format("%q", v)
  elseif t ~= "table" then
    out[#out + 1] = tostring(v)
  elseif depth > 6 or #out > 4000 then
    out[#out + 1] = "{...}"
  else
    local real = real_of[v] or v
    local keys = {}
    for k in next, real do keys[#keys + 1] = k end
    table_sort(keys, function(a, b)
      if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then return a < b end
      return type(a) < type(b)
    end)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = ", " end
      if k ~= i then
        out[#out + 1] = type(k) == "string" and string_find(k, "^[%a_][%w_]*$") and k
                        or "[" .. string_format("%q", k) .. "]"
        out[#out + 1] = " = "
      end
      show_value(real[k], depth + 1, out)
    end
    out[#out + 1] = "}"
  end
end

local function show(...)
  local parts = {}
  for i = 1, select("#", ...) do
    local out = {}
    show_value((select(i, ...)), 1, out)
    parts[i] = table_concat(out)
  end
  return table_concat(parts, "\t")
end

return {
  show = show,
  freeze = freeze,
  module_env = module_env,
  seal_env = seal_env,
  is_article = is_article,
  is_regime = is_regime,
  request_tables = request_tables,
  request_list = request_list,
}
