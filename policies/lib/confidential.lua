-- policies/lib/confidential.lua — what confidential information (保密信息) is: the three
-- conditions of 商务部、工业和信息化部令2009年第13号 第三条, repeated word for word by
-- 穗外经贸法〔2012〕7号 第三条.  The reading is in gz-2012/art3.lua and mofcom-2009-13/art3.lua.
--
-- Used by gz-2012 arts. 3, 4, 5, 7 and mofcom-2009-13 arts. 3, 4, 5, 6.  The codes returned
-- here are message codes: every article using a function declares them in its `messages`.
-- Loop-free, so the articles using it stay unmetered per instruction.
local M = {}

-- The first of art. 3's conditions the data fails, in the definition's own terms:
-- (一) "not-entrusted"; (二) "protection-not-stated", "not-protected", "public"; (三)
-- "no-confidentiality-duty".  nil when it meets all three.  The second value is the contract
-- when it could be read (nil when the request names none or the data does not hold it).
local function failed_condition(req, data)
  local resource = req.resource
  if resource.entrusted ~= true then return "not-entrusted" end
  local protected = resource.protected_by_employer
  if protected == nil then return "protection-not-stated" end
  if protected ~= true then return "not-protected" end
  if resource.public == true then return "public" end
  local contract = custos.contract(req, data)
  if contract ~= nil and contract.confidentiality == false then
    return "no-confidentiality-duty", contract
  end
  return nil, contract
end

-- For the articles that protect confidential information (arts. 4, 5, 7 / 4, 5, 6): nil when
-- the data is confidential information; otherwise the message code of the condition it fails:
-- (一) "not-entrusted", (二) "not-protected" (not protected by the employer, not shown to be, or
-- public), (三) "no-confidentiality-duty".  Codes without params: the common path allocates
-- nothing.
function M.not_confidential(req, data)
  local failed = failed_condition(req, data)
  if failed == "protection-not-stated" or failed == "public" then return "not-protected" end
  return failed
end

-- For the definition itself (art. 3): the message code and params of its finding — the
-- condition that fails, or why the data is confidential information: "confidential" (the
-- contract binds the contractor), "confidential-contract-silent" (the contract says nothing
-- about confidentiality), "confidential-contract-unknown" (the contract cannot be read).
function M.classify(req, data)
  local failed, contract = failed_condition(req, data)
  local id = req.resource.contract
  if failed == "no-confidentiality-duty" then return failed, { contract = id } end
  if failed ~= nil then return failed end
  if contract == nil then return "confidential-contract-unknown" end
  if contract.confidentiality == nil then
    return "confidential-contract-silent", { contract = id }
  end
  return "confidential", { contract = id }
end

return M
