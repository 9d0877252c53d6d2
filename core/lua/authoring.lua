-- authoring.lua — the authoring half of custos's Lua prelude: runs after sandbox.lua.
--
-- The vocabulary policy authors write in: article{...}, regime{...}, permit / deny /
-- not_applicable, and the custos.* helpers for the questions every policy asks (messages,
-- lists, optional fields, the request's time, dates).  Helpers for one domain's concepts are
-- not here: they are policy libraries (policies/lib/, loaded with require).  See
-- docs/authoring.md for the authors' guide and docs/design.md for the layers.
--
-- `host` is a table of C functions passed in by the loader:
--   host.date_end(s) / host.date_start(s) -> epoch seconds, or nil, why
--   host.instant(s)                        -> epoch seconds, or nil, why
--   host.make_has(set_of, real_of, DATA)   -> custos.has, in C
-- `prelude` holds what sandbox.lua added (real_of, set_of, lazy_of, data_real, data_key,
-- pattern_find, define_globals); this file adds is_article and is_regime for the C loader.

local host, prelude = ...

local error, type, pairs, ipairs, select, tostring, rawget =
      error, type, pairs, ipairs, select, tostring, rawget
local string_format, table_concat, table_sort = string.format, table.concat, table.sort
-- string.find as it was before sandbox.lua kept only plain search: the checks below match
-- their own patterns.
local string_find = prelude.pattern_find
local real_of, set_of, lazy_of = prelude.real_of, prelude.set_of, prelude.lazy_of
local data_real = prelude.data_real

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

-- A declaration's messages, checked and copied into plain tables (they may come from a library,
-- frozen; the engine reads what a declaration returns without metamethods): the copy, and
-- whether there was any.
local function copy_messages(what, given, level)
  local messages, any = {}, false
  if type(given) == "table" then
    for code, msg in pairs(given) do
      if type(code) ~= "string" or not string_find(code, "^[%w][%w%-_]*$") then
        fail(level + 1, "%s: message code %s must be a word like \"missing-field\"", what,
             tostring(code))
      end
      check_bilingual(what, "messages." .. code, msg, level + 1)
      messages[code] = {zh = msg.zh, en = msg.en}
      any = true
    end
  end
  return messages, any
end

local function article_number(what, v, level)
  if math.type(v) == "integer" then v = tostring(v) end
  if type(v) ~= "string" or not string_find(v, "^%d+[a-z]?$") then
    fail(level + 1, "%s: 'number' must be the article's number, like \"11\", got %s", what,
         tostring(v))
  end
  return v
end

local ARTICLE_FIELDS = {regime = true, number = true, text = true,
                        citation = true, implements = true, messages = true, rule = true,
                        obligations = true}

-- article{...}: declares the module's article.  The regime is taken from the folder; if given
-- it must match (checked by the loader).
local function article(spec)
  local what = "article"
  if type(spec) ~= "table" then fail(2, "article{...} expects a table, got %s", type(spec)) end
  if rawget(spec, "title") ~= nil then
    fail(2, "article: 'title' is not declared in the module: an article's title lives in its " ..
            "regime.lua, in the `articles` list")
  end
  check_fields(what, spec, ARTICLE_FIELDS, 2)
  local number = article_number(what, spec.number, 2)
  what = "article " .. number
  check_bilingual(what, "text", spec.text, 2)
  check_text(what, "citation", spec.citation, 2)
  if spec.regime ~= nil then check_text(what, "regime", spec.regime, 2) end
  if type(spec.rule) ~= "function" then
    fail(2, "%s: 'rule' must be a function(req, data) returning permit(...), deny(...) or " ..
            "not_applicable(...), got %s", what, type(spec.rule))
  end
  local messages, any = copy_messages(what, spec.messages, 2)
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
    regime = spec.regime, number = number, text = spec.text,
    citation = spec.citation, implements = implements, messages = messages,
    rule = spec.rule, obligations = declared_obligations,
  }
end

local REGIME_FIELDS = {id = true, title = true, document = true, issuers = true, issued = true,
                       effective = true, expires = true, source = true, articles = true,
                       notes = true, data = true, default_mode = true, request = true,
                       types = true, applies = true, messages = true}
local LISTED_ARTICLE_FIELDS = {number = true, title = true, encoded = true, reason = true}

-- A date as written, or "unknown" (the source does not give it: see bundle.h, window_known).
local function check_date(what, field, v, level)
  check_text(what, field, v, level + 1)
  if v == "unknown" then return end
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
  -- applies(req, data): whether the regime applies to a request, asked once per decision
  -- before its articles; its messages are declared like an article's
  if spec.applies ~= nil and type(spec.applies) ~= "function" then
    fail(2, "%s: 'applies' must be a function(req, data) returning nothing, true or " ..
            "not_applicable(code, params), got %s", what, type(spec.applies))
  end
  if spec.messages ~= nil and spec.applies == nil then
    fail(2, "%s: 'messages' are the messages of 'applies', which the regime does not define",
         what)
  end
  if spec.applies ~= nil then
    local messages, any = copy_messages(what, spec.messages, 2)
    spec.messages = messages
    if not any then
      fail(2, "%s: 'applies' needs 'messages': a table of message codes, each " ..
              "{zh = ..., en = ...}", what)
    end
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

-- True when list (a list of strings from a request or data) contains value: a list the sandbox
-- knows a set of is looked up, any other scanned with its rounds charged up front (per-call
-- metering, sandbox.h).  In C (host_has in sandbox.c), the rules' most frequent helper.
custos.has = host.make_has(set_of, real_of, prelude.data_key)

-- Reads a field by dotted path without the strict check: for optional, custom fields.
function custos.field(t, path)
  local pos = 1
  while t ~= nil do
    local dot = string_find(path, ".", pos, true)
    local key = path:sub(pos, (dot or 0) - 1)
    local real = real_of[t] or data_real(t)
    if real then t = rawget(real, key)
    elseif lazy_of[t] then t = t[key]  -- shared data: looked up on first read
    elseif type(t) == "table" then t = rawget(t, key) else return nil end
    if not dot then return t end
    pos = dot + 1
  end
  return nil
end

-- The request's time as epoch seconds (always present: the engine refuses requests without).
function custos.now(req)
  return req.context.epoch
end

-- Epoch seconds of the first / last second of a date (China Standard Time), or nil, why.
custos.date_start = host.date_start
custos.date_end = host.date_end
custos.instant = host.instant
-- The calendar day of epoch seconds in China Standard Time, "2027-06-30" — the inverse of
-- date_start, for messages ("until {date}", never the raw epoch); nil, why out of range.
custos.date = host.date

local function is_article(v) return type(v) == "table" and v[ARTICLE_TAG] == true end
local function is_regime(v) return type(v) == "table" and v[REGIME_TAG] == true end

prelude.define_globals{
  article = article, regime = regime,
  permit = permit, deny = deny, not_applicable = not_applicable,
  custos = custos,
}
prelude.is_article = is_article
prelude.is_regime = is_regime
