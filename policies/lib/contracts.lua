-- policies/lib/contracts.lua — the outsourcing contract a request's resource names
-- (`req.resource.contract`, an id in the data's `contracts` section), and its retention.
--
-- M.required is for the articles that cannot decide without the contract and refuse the act
-- when it cannot be read (fail closed): gz-2012 arts. 4, 7, 9, 10, 11, 12 and mofcom-2009-13
-- arts. 4, 5 (arts. 4 through lib/contract_use.lua, gz art. 7 and mofcom art. 5 through
-- lib/confidentiality_measures.lua).  Each of them declares the two denial codes,
-- "no-contract" and "unknown-contract" {contract}, with its own wording.  Loop-free.
local M = {}

-- The contract the request's resource names, or nil and why ("no-contract" when the request
-- names none, "unknown-contract" when the data has no such contract).
function M.find(req, data)
  local id = req.resource.contract
  if id == nil then return nil, "no-contract" end
  local contracts = data.contracts
  local c = contracts and contracts[id]
  if c == nil then return nil, "unknown-contract" end
  return c
end

-- The contract; or nil and the message code and params of the denial: "no-contract" when the
-- request names none, "unknown-contract" {contract} when the data does not hold it.
function M.required(req, data)
  local contract, why = M.find(req, data)
  if contract ~= nil then return contract end
  if why == "no-contract" then return nil, "no-contract" end
  return nil, "unknown-contract", { contract = req.resource.contract }
end

-- Whether the request's time is within the contract's retention: true, false, or nil when the
-- contract states no retention.  "until" dates are inclusive, to the last second of that day
-- in China Standard Time.
function M.within_retention(contract, req)
  local until_date = contract.retention_until
  if until_date == nil then return nil end
  local last = custos.date_end(until_date)
  if last == nil then error("contract retention_until is not a date: " .. tostring(until_date), 2) end
  return req.context.epoch <= last
end

return M
