-- bindings/lua/tests/test_version.lua: the module checks at load that the libcustos it loaded
-- is of its major version (and not older than its header): a library of another version,
-- preloaded in a child lua5.4 (CUSTOS_FAKE_VERSION_LIB, built from fake_version.c), is refused
-- with a clear error.  Run by ctest (lua.test_version).
local custos = require "custos"
local fake = assert(os.getenv("CUSTOS_FAKE_VERSION_LIB"), "CUSTOS_FAKE_VERSION_LIB is not set")
local lua = arg[-1]

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Loads the module in a child with the fake library at this version number; its output.
local function load_with(number)
  local p = assert(io.popen(string.format(
    "CUSTOS_FAKE_VERSION=%d LD_PRELOAD=%s %s -e %s 2>&1", number, q(fake), q(lua),
    q('local ok, err = pcall(require, "custos"); print(ok and "loaded" or err)'))))
  local out = p:read("a")
  p:close()
  return out
end

assert(custos.version_number // 1000000 == 0, "major 0")
local out = load_with(custos.version_number)
assert(out:find("loaded", 1, true), "the same version loads: " .. out)
out = load_with(9000000)
assert(out:find("the loaded libcustos is version 9.0.0, but this module was built for " ..
  custos._VERSION, 1, true), "another major is refused: " .. out)
out = load_with(custos.version_number + 1000000)
assert(out:find("needs major version 0", 1, true), "a newer major is refused: " .. out)
if custos.version_number % 1000000 > 0 then
  out = load_with(custos.version_number - 1)
  assert(out:find("at least " .. custos._VERSION, 1, true), "an older library is refused: " .. out)
end
print("lua version check: ok")
