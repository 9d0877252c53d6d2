-- bindings/lua/tests/test_custos.lua: the Lua binding, checked against the custos program.
-- Run by ctest (lua.binding) with LUA_CPATH at the built module and CUSTOS_SOURCE_DIR /
-- CUSTOS_BINARY_DIR set; by hand from the repository root after `make`:
--   CUSTOS_SOURCE_DIR=. CUSTOS_BINARY_DIR=build LUA_CPATH='build/lib/lua/5.4/?.so' \
--     lua5.4 bindings/lua/tests/test_custos.lua
local custos = require "custos"

local src = assert(os.getenv("CUSTOS_SOURCE_DIR"), "CUSTOS_SOURCE_DIR is not set")
local bin = assert(os.getenv("CUSTOS_BINARY_DIR"), "CUSTOS_BINARY_DIR is not set")
local cli = bin .. "/bin/custos"

local passed, failed = 0, 0
local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write("FAIL ", name, ": ", tostring(err), "\n")
  end
end

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what or "value", tostring(got), tostring(want)), 2)
  end
end

-- Calls fn and returns the error it raised (failing when it raised none).
local function raises(fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error, got none", 2) end
  return err
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function list(dir, pattern)
  local names = {}
  local p = assert(io.popen("ls " .. shell_quote(dir)))
  for name in p:lines() do
    if name:match(pattern) then names[#names + 1] = name end
  end
  p:close()
  table.sort(names)
  return names
end

local data = {}
for _, name in ipairs(list(src .. "/examples/data", "%.yaml$")) do
  data[#data + 1] = src .. "/examples/data/" .. name
end

local engine <close> = custos.open { data = data }

test("version: the library's, checked at load", function()
  eq(type(custos._VERSION), "string", "_VERSION")
  eq(custos.version_number // 1000000, 0, "major")
  local p = assert(io.popen(shell_quote(cli) .. " --version"))
  local out = p:read("a")
  p:close()
  assert(out:find(custos._VERSION, 1, true), "custos --version says " .. out)
end)

-- Every example request: the binding's decision is the program's, byte for byte.
test("example requests decide as `custos decide --format json`", function()
  local args = {}
  for _, d in ipairs(data) do args[#args + 1] = "--data " .. shell_quote(d) end
  local requests = list(src .. "/examples/requests", "%.yaml$")
  assert(#requests >= 20, "too few example requests: " .. #requests)
  local effects = {}
  for _, name in ipairs(requests) do
    local path = src .. "/examples/requests/" .. name
    local p = assert(io.popen(table.concat({ shell_quote(cli), "decide --format json",
      table.concat(args, " "), shell_quote(path), "2>/dev/null" }, " ")))
    local want = p:read("l")
    p:close()
    local d = engine:decide(read(path), { name = path })
    eq(d:json(), want, name)
    eq(d.effect, want:match('^{"decision":"([%w_]+)"'), name .. " effect")
    -- the cited articles, in order, against the program's JSON
    local cited = {}
    local reasons = want:match('"reasons":(%b[])')
    for regime, article in reasons:gmatch('{"regime":"([^"]+)","article":"([^"]+)","effect"') do
      cited[#cited + 1] = regime .. ":" .. article
    end
    local got = {}
    for _, r in ipairs(d.reasons) do got[#got + 1] = r.regime .. ":" .. r.article end
    eq(table.concat(got, " "), table.concat(cited, " "), name .. " reasons")
    effects[d.effect] = true
  end
  assert(effects.permit and effects.deny and effects.not_applicable, "every effect seen")
end)

local sale = {
  subject = { id = "bob", org = "acme-outsourcing", role = "manager", clearance = "secret",
    signed_confidentiality = true },
  action = "sell",
  resource = { id = "customer-list-2026", owner = "globex", category = "personal",
    classification = "confidential", entrusted = true, contract = "C-2026-001",
    protected_by_employer = true, public = false },
  purpose = "data-sale",
  context = { time = "2026-11-22T15:30:00+08:00",
    consent = { by = "globex", purposes = { "data-sale" }, written = true } },
}

test("a request table decides as its YAML", function()
  local d = engine:decide(sale)
  eq(d:json(), engine:decide(read(src .. "/examples/requests/sale.yaml")):json(), "json")
  eq(d.effect, "deny")
  local r = d.reasons[1]
  eq(r.regime, "gz-2012")
  eq(r.article, "4")
  eq(r.effect, "deny")
  eq(r.code, "action-not-in-contract")
  eq(r.citation, "穗外经贸法〔2012〕7号 第四条")
  assert(r.title.en and r.message.zh, "title and message in both languages")
  eq(r.implements[1].regime, "mofcom-2009-13")
  eq(#d.errors, 0, "errors")
  assert(#d.regimes >= 1, "regimes")
  for _, s in ipairs(d.regimes) do
    eq(type(s.adopted), "boolean", "adopted")
    if s.in_force_known then eq(type(s.in_force), "boolean") else eq(s.in_force, nil) end
  end
  eq(tostring(d), "custos.Decision (deny)")
end)

test("obligations with their parameters", function()
  local d = engine:decide(read(src .. "/examples/requests/permitted-use.yaml"))
  eq(d.effect, "permit")
  local by = {}
  for _, o in ipairs(d.obligations) do by[o.id] = o end
  assert(by["delete-by"], "delete-by obligation")
  eq(by["delete-by"].params.date, "2027-06-30", "delete-by date")
  eq(by["delete-by"].regime, "gz-2012")
end)

test("options: as_of, explain, strict", function()
  local d = engine:decide(sale, { explain = true })
  assert(#d.trace >= #d.reasons, "a trace with explain")
  eq(type(d.trace[1].applied), "boolean")
  eq(engine:decide(sale).trace, nil, "no trace without explain")
  -- as_of replaces context.time
  local no_time = {}
  for k, v in pairs(sale) do no_time[k] = v end
  no_time.context = { consent = sale.context.consent }
  local err = raises(engine.decide, engine, no_time)
  eq(err.status, "input")
  eq(engine:decide(no_time, { as_of = "2026-11-22T15:30:00+08:00" }):json(), engine:decide(sale):json())
  eq(engine:decide(no_time, { as_of = "now" }).effect, "deny")
  eq(engine:decide(no_time, { as_of = os.time() }).effect, "deny")
  err = raises(engine.decide, engine, sale, { as_of = "yesterday" })
  eq(err.status, "input")
  -- an undeclared field: kept and listed, refused when strict
  local typo = { subject = sale.subject, action = "sell", purpose = "data-sale",
    resource = { entrustd = true, contract = "C-2026-001" }, context = sale.context }
  local unknown = engine:unknown_fields(typo)
  eq(#unknown, 1, "unknown fields")
  eq(unknown[1].path, "resource.entrustd")
  eq(unknown[1].nearest, "resource.entrusted")
  engine:decide(typo)
  err = raises(engine.decide, engine, typo, { strict = true })
  eq(err.status, "input")
  assert(err.message:find("resource.entrusted", 1, true), err.message)
end)

test("input errors are custos.Error with file:line:column", function()
  local bad = 'subject: {id: bob}\nresource: {entrusted: "yes"}\ncontext: {time: "2026-11-22T10:00:00+08:00"}\n'
  local err = raises(engine.decide, engine, bad, { name = "bad.yaml" })
  eq(getmetatable(err), custos.Error, "metatable")
  eq(err.status, "input")
  eq(err.code, 6)
  eq(err.file, "bad.yaml")
  eq(err.line, 2)
  eq(err.column, 23)
  assert(err.message:find("resource.entrusted", 1, true), err.message)
  eq(tostring(err), "bad.yaml:2:23: " .. err.message .. " (input)")
  -- the same through check, without deciding
  err = raises(engine.check, engine, bad, { name = "bad.yaml" })
  eq(err.line, 2)
  eq(engine:check(sale), true)
  -- not well-formed
  err = raises(engine.decide, engine, "subject: {id: bob\naction: [use\n", { name = "broken.yaml" })
  eq(err.status, "parse")
  eq(err.file, "broken.yaml")
  assert(err.line >= 1 and err.column >= 1, tostring(err))
  -- a table with the wrong type names the field; its line:column are in custos.to_json(t)
  err = raises(engine.check, engine, { resource = { entrusted = "yes" }, context = sale.context })
  eq(err.status, "input")
  eq(err.file, "request")
  assert(err.message:find("resource.entrusted", 1, true), err.message)
  local json = custos.to_json { resource = { entrusted = "yes" }, context = sale.context }
  eq(json:sub(err.column, err.column + 4), '"yes"', "column in to_json's text")
  -- an uncaught error reads as file:line:col from the interpreter
  local lua = arg and arg[-1] or "lua5.4"
  local p = assert(io.popen(shell_quote(lua) .. " -e " .. shell_quote(
    'local c = require "custos"; c.open{}:decide("a: [", {name = "x.yaml"})') .. " 2>&1"))
  local out = p:read("a")
  p:close()
  assert(out:find("x.yaml:2:1: ", 1, true), out)
end)

test("open and reload errors are custos.Error", function()
  local err = raises(custos.open, { policies = src .. "/no/such/folder" })
  eq(getmetatable(err), custos.Error)
  eq(err.status, "not-found")
  err = raises(custos.open, { data = src .. "/README.md" })
  assert(err.status == "parse" or err.status == "input", tostring(err))
  err = raises(custos.open, { regime_modes = { ["no-such-regime"] = "skipped" } })
  assert(err.message:find("no-such-regime", 1, true), tostring(err))
  err = raises(custos.open, { regime_modes = { ["gz-2012"] = "sometimes" } })
  assert(tostring(err):find("regime_modes", 1, true), tostring(err))
  err = raises(custos.open, { data = { 42 } })
  assert(tostring(err):find("data[1]", 1, true), tostring(err))
end)

test("to_json: strings, numbers, lists, objects", function()
  eq(custos.to_json { s = 'a"b\\c\n\t\1é' }, '{"s":"a\\"b\\\\c\\n\\t\\u0001é"}')
  eq(custos.to_json { 1, 2.5, -3, 1e300, true, false }, "[1,2.5,-3,1e+300,true,false]")
  eq(custos.to_json { b = {}, a = custos.array {}, c = custos.object {}, d = custos.null },
    '{"a":[],"b":{},"c":{},"d":null}')
  eq(custos.to_json { z = 1, a = { y = { 1, { x = "x" } } } }, '{"a":{"y":[1,{"x":"x"}]},"z":1}')
  eq(custos.to_json(0.1), "0.1")
  eq(custos.to_json "text", '"text"')
end)

test("to_json refuses what JSON cannot say, naming where", function()
  local function refused(value, want)
    local err = raises(custos.to_json, value)
    assert(tostring(err):find(want, 1, true), tostring(err) .. " (wanted " .. want .. ")")
  end
  local cycle = { a = {} }
  cycle.a.back = cycle
  refused(cycle, "value.a.back as JSON: a table contains itself (a cycle)")
  refused({ [true] = 1 }, "a key of type boolean")
  refused({ x = { [1.5] = 1 } }, "value.x as JSON: a key of type number")
  refused({ 1, 2, x = 3 }, "named keys mixed with list indexes")
  refused({ [1] = 1, [3] = 3 }, "a list with holes")
  refused({ f = print }, "value.f as JSON: a value of type function")
  refused({ list = { 1, 0 / 0 } }, "value.list[2] as JSON: a number is not finite")
  refused({ s = "\xff" }, "not valid UTF-8")
  refused({ s = "a\0b" }, "NUL byte")
  local deep = {}
  local t = deep
  for _ = 1, 100 do t.x = {}; t = t.x end
  refused(deep, "nested deeper than 64")
  -- a table reached twice but not in a cycle is fine
  local shared = { 1 }
  eq(custos.to_json { a = shared, b = shared }, '{"a":[1],"b":[1]}')
  -- and decide refuses the same as a Lua error
  local err = raises(engine.decide, engine, { subject = { id = print } })
  assert(tostring(err):find("request.subject.id", 1, true), tostring(err))
end)

test("engines are garbage-collected and closed", function()
  collectgarbage("collect")
  local base = custos.stats().engines
  for _ = 1, 10 do
    local e = custos.open { data = data }
    e:decide(sale)
  end
  assert(custos.stats().engines >= base, "engines open before collection")
  collectgarbage("collect")
  collectgarbage("collect")
  eq(custos.stats().engines, base, "engines left after collectgarbage")
  -- a to-be-closed variable closes at the end of its block
  local kept
  do
    local e <close> = custos.open { data = data }
    kept = e
    eq(custos.stats().engines, base + 1)
  end
  eq(kept:closed(), true, "closed by <close>")
  eq(custos.stats().engines, base)
  eq(tostring(kept), "custos.Engine (closed)")
  local err = raises(kept.decide, kept, sale)
  assert(tostring(err):find("closed", 1, true), tostring(err))
  kept:close() -- twice is harmless
  -- a decision outlives its engine
  local e = custos.open { data = data }
  local d = e:decide(sale)
  e:close()
  e = nil
  collectgarbage("collect")
  eq(d.effect, "deny")
  assert(d:json():find('"decision":"deny"', 1, true))
end)

test("reload: the same files, other files, and a failed reload keeping the old set", function()
  local e <close> = custos.open { data = data }
  eq(e:generation(), 1)
  eq(e:reload(), 2, "generation after reload")
  local before = e:decide(sale):json()
  -- without the contracts, gz-2012's articles cannot find C-2026-001
  local others = {}
  for _, d in ipairs(data) do
    if not d:find("contracts.yaml", 1, true) then others[#others + 1] = d end
  end
  eq(e:reload { data = others }, 3)
  assert(e:decide(sale):json() ~= before, "the new data decides")
  local err = raises(e.reload, e, { data = { src .. "/no/such.yaml" } })
  eq(err.status, "not-found")
  eq(e:generation(), 3, "a failed reload publishes nothing")
  eq(e:reload { data = data }, 4)
  eq(e:decide(sale):json(), before, "back to the first data")
end)

test("the README's example runs as written", function()
  local readme = read(src .. "/bindings/lua/README.md")
  local code = assert(readme:match("```lua\n(.-)```"), "a lua block in the README")
  local lines = {}
  local env = setmetatable({ print = function(...)
    local parts = table.pack(...)
    for k = 1, parts.n do parts[k] = tostring(parts[k]) end
    lines[#lines + 1] = table.concat(parts, "\t")
  end }, { __index = _G })
  -- its paths are relative to the repository root
  code = code:gsub('"examples/', '"' .. src .. '/examples/')
  assert(load(code, "README.md", "t", env))()
  eq(lines[1], "permit", "first line")
  local all = table.concat(lines, "\n")
  assert(all:find("delete-by\t2027-06-30", 1, true), all)
  assert(all:find('{"decision":"permit"', 1, true), all)
end)

io.write(string.format("lua binding: %d passed, %d failed\n", passed, failed))
os.exit(failed == 0 and 0 or 1, true) -- true: close the state, so every engine is freed (valgrind)
