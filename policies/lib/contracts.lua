-- policies/lib/contracts.lua — the outsourcing contract a request's resource names, for the
-- articles that cannot decide without it and refuse the act when it cannot be read (fail
-- closed).
--
-- Used by gz-2012 arts. 4, 7, 9, 10, 11, 12 and mofcom-2009-13 arts. 4, 5 (arts. 4 through
-- lib/contract_use.lua, gz art. 7 and mofcom art. 5 through lib/confidentiality_measures.lua).
-- Each of them declares the two denial codes, "no-contract" and "unknown-contract" {contract},
-- with its own wording.  Loop-free.
local M = {}

-- The contract; or nil and the message code and params of the denial: "no-contract" when the
-- request names none, "unknown-contract" {contract} when the data does not hold it.
function M.required(req, data)
  local contract, why = custos.contract(req, data)
  if contract ~= nil then return contract end
  if why == "no-contract" then return nil, "no-contract" end
  return nil, "unknown-contract", { contract = req.resource.contract }
end

return M
