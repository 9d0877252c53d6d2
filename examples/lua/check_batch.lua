#!/usr/bin/env lua5.4
-- check_batch.lua: decides a batch of requests with the Lua binding and prints a summary.
--
--   lua5.4 examples/lua/check_batch.lua [--policies DIR]... [--data FILE]... [--as-of TIME|now]
--                                        [--strict] [--quiet] INPUT...
--
-- An INPUT is a JSON Lines file (.jsonl: one request per line; '-' reads them from stdin) or
-- one request document (YAML or JSON).  For each request it prints a line
--   <source>  <effect>  <articles that decided>
-- or, for a request that could not be decided, <source>:<line>:<column>: <message>.  Then the
-- summary: counts by effect, the requests that could not be decided, and the articles cited most.
-- Exit status: 0 when every request was decided and none denied, 1 when some were denied, 65
-- when some could not be decided.  Without --policies the built-in regimes are used.
--
-- From the repository root after `make` (the built module; an installed one needs no LUA_CPATH):
--   LUA_CPATH='build/lib/lua/5.4/?.so' lua5.4 examples/lua/check_batch.lua \
--       --data examples/data/contracts.yaml --data examples/data/purposes.yaml \
--       examples/requests/sale.yaml examples/requests/permitted-use.yaml
local custos = require "custos"

local function usage(message)
  io.stderr:write("check_batch: ", message, "\n",
    "usage: check_batch.lua [--policies DIR]... [--data FILE]... [--as-of TIME|now] [--strict] ",
    "[--quiet] INPUT...\n")
  os.exit(64)
end

local options = { policies = {}, data = {}, inputs = {} }
local i = 1
while i <= #arg do
  local a = arg[i]
  if a == "--policies" or a == "--data" or a == "--as-of" then
    local value = arg[i + 1] or usage(a .. " needs a value")
    if a == "--policies" then table.insert(options.policies, value)
    elseif a == "--data" then table.insert(options.data, value)
    else options.as_of = value end
    i = i + 2
  else
    if a == "--strict" then options.strict = true
    elseif a == "--quiet" then options.quiet = true
    elseif a:sub(1, 2) == "--" then usage("unknown option " .. a)
    else table.insert(options.inputs, a) end
    i = i + 1
  end
end
if #options.inputs == 0 then usage("no input") end

-- One engine for the whole batch; <close> frees it however the script ends.
local ok, engine = pcall(custos.open, {
  policies = #options.policies > 0 and options.policies or nil,
  data = options.data,
})
if not ok then
  io.stderr:write("check_batch: cannot open the engine: ", tostring(engine), "\n")
  os.exit(65)
end
local engine <close> = engine
local decide_options = { as_of = options.as_of, strict = options.strict }

local counts = { permit = 0, deny = 0, not_applicable = 0 }
local failures, cited = {}, {}

-- Decides one request (YAML/JSON text) and records it; `source` names it in the output and
-- `line` is its line in a JSON Lines file (nil for a whole document).
local function check(text, source, line)
  decide_options.name = source
  local decided, result = pcall(engine.decide, engine, text, decide_options)
  if not decided then
    local err = result
    local where
    if getmetatable(err) == custos.Error then
      -- in a JSON Lines file the library's line is 1: the batch line takes its place
      local l = line or err.line
      where = string.format("%s:%d:%d: %s (%s)", source, l, err.column, err.message, err.status)
    else
      where = string.format("%s%s: %s", source, line and (":" .. line) or "", tostring(err))
    end
    table.insert(failures, where)
    if not options.quiet then print(where) end
    return
  end
  local d = result
  counts[d.effect] = counts[d.effect] + 1
  local articles = {}
  for _, r in ipairs(d.reasons) do
    if r.effect == d.effect then
      local key = r.regime .. " art. " .. r.article
      table.insert(articles, key)
      cited[key] = (cited[key] or 0) + 1
    end
  end
  if not options.quiet then
    print(string.format("%s  %s  %s", line and (source .. ":" .. line) or source, d.effect,
      table.concat(articles, ", ")))
  end
end

for _, input in ipairs(options.inputs) do
  if input == "-" or input:match("%.jsonl$") then
    local f = input == "-" and io.stdin or io.open(input, "rb")
    if not f then
      table.insert(failures, input .. ": cannot open")
    else
      local n = 0
      for text in f:lines() do
        n = n + 1
        if text:match("%S") then check(text, input == "-" and "<stdin>" or input, n) end
      end
      if f ~= io.stdin then f:close() end
    end
  else
    local f = io.open(input, "rb")
    if not f then
      table.insert(failures, input .. ": cannot open")
    else
      check(f:read("a"), input, nil)
      f:close()
    end
  end
end

local decided = counts.permit + counts.deny + counts.not_applicable
print(string.format("%d decided: %d permit, %d deny, %d not applicable; %d not decided",
  decided, counts.permit, counts.deny, counts.not_applicable, #failures))
local top = {}
for key, n in pairs(cited) do table.insert(top, { key = key, n = n }) end
table.sort(top, function(a, b) return a.n > b.n or (a.n == b.n and a.key < b.key) end)
for k = 1, math.min(5, #top) do
  print(string.format("  %4d  %s", top[k].n, top[k].key))
end
if #failures > 0 then os.exit(65, true) end
os.exit(counts.deny > 0 and 1 or 0, true)
