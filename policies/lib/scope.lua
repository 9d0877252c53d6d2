-- policies/lib/scope.lua — whom a regime binds, as the data states it: the contractor of the
-- contract a request names (the contract's `contractor`, else the acting person's
-- organisation, subject.org), looked up in the data section `contractors` (declared in
-- policies/schema.lua: city, domestic).
--
--   gz-2012 art. 1: 「为促进承接服务外包业务的广州市企业(以下称接包方)妥善保护保密信息」 — the
--     measures bind Guangzhou enterprises undertaking outsourcing: a contractor whose record
--     gives a `city` other than guangzhou is outside them.
--   mofcom-2009-13: 关于境内企业承接服务外包业务信息保护的若干规定 — the provisions bind domestic
--     enterprises (境内企业): a contractor whose record says `domestic: false` is outside them.
--
-- A contractor with no record, or a record silent on the fact, is taken to be covered: the
-- host that loads a regime applies it to its own contractors, and only the data can say that
-- one of them is outside it.
--
-- Used by the `applies` of gz-2012/regime.lua and mofcom-2009-13/regime.lua, once per decision:
-- a contractor outside the regime skips all its articles.  Loop-free.
local contracts = require "contracts"

local M = {}

local function record_of(req, data)
  local contract = contracts.find(req, data)
  local id = contract and contract.contractor or req.subject.org
  if id == nil then return nil end
  local section = data and custos.field(data, "contractors")
  local record = section and section[id]
  return record, id
end

-- nil when the measures bind the contractor; else "outside-guangzhou" and its params.
function M.guangzhou(req, data)
  local record, id = record_of(req, data)
  if record == nil or record.city == nil or record.city == "guangzhou" then return nil end
  return "outside-guangzhou", { contractor = id, city = record.city }
end

-- nil when the provisions bind the contractor; else "not-domestic" and its params.
function M.domestic(req, data)
  local record, id = record_of(req, data)
  if record == nil or record.domestic ~= false then return nil end
  return "not-domestic", { contractor = id }
end

M.GUANGZHOU_MESSAGES = {
  ["outside-guangzhou"] = {
    zh = "接包方「{contractor}」不是广州市企业(所在城市:{city});本办法适用于承接服务外包业务的广州市企业,不适用于该接包方。",
    en = "The contractor \"{contractor}\" is not a Guangzhou enterprise (city: {city}); the "
      .. "measures bind Guangzhou enterprises undertaking outsourcing, so they do not apply.",
  },
}

M.DOMESTIC_MESSAGES = {
  ["not-domestic"] = {
    zh = "接包方「{contractor}」不是境内企业;本规定适用于承接服务外包业务的境内企业,不适用于该接包方。",
    en = "The contractor \"{contractor}\" is not a domestic enterprise; the provisions bind "
      .. "domestic enterprises undertaking outsourcing, so they do not apply.",
  },
}

return M
