-- policies/lib/confidential.lua — what confidential information (保密信息) is: the three
-- conditions of 商务部、工业和信息化部令2009年第13号 第三条, repeated word for word by
-- 穗外经贸法〔2012〕7号 第三条.  The reading is in gz-2012/art3.lua and mofcom-2009-13/art3.lua.
--
-- Used by gz-2012 arts. 3, 4, 5, 7 and mofcom-2009-13 arts. 3, 4, 5, 6.  The codes returned
-- here are message codes: every article using a function declares them in its `messages`.
-- Loop-free, so the articles using it stay unmetered per instruction.
local contracts = require "contracts"

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
  local contract = contracts.find(req, data)
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

-- The messages gz-2012 art. 3 and mofcom-2009-13 art. 3 word alike (the local article implements the national one);
-- each article adds or rewords its own with custos.messages.
M.MESSAGES = {
    ["not-entrusted"] = {
      zh = "该资料不是接包方在承接服务外包业务过程中从发包方获取的(第三条第(一)项),不是保密信息。",
      en = "The data was not obtained from the employer in the outsourcing work (condition 1 "
        .. "of article 3); it is not confidential information.",
    },
    ["not-protected"] = {
      zh = "发包方未对该资料采取保密措施(第三条第(二)项),不是保密信息。",
      en = "The employer has taken no confidentiality measures for the data (condition 2 of "
        .. "article 3); it is not confidential information.",
    },
    ["protection-not-stated"] = {
      zh = "请求未说明发包方是否对该资料采取了保密措施(resource.protected_by_employer),无法认定符合第三条第(二)项,不作为保密信息处理。",
      en = "The request does not say whether the employer took confidentiality measures for "
        .. "the data (resource.protected_by_employer), so condition 2 of article 3 is not "
        .. "shown; it is not treated as confidential information.",
    },
    ["public"] = {
      zh = "该资料已为公众知悉(第三条第(二)项),不是保密信息。",
      en = "The data is already known to the public (condition 2 of article 3); it is not "
        .. "confidential information.",
    },
    ["no-confidentiality-duty"] = {
      zh = "合同「{contract}」约定接包方不承担保密义务(第三条第(三)项),该资料不是保密信息。",
      en = "Contract \"{contract}\" does not bind the contractor to confidentiality (condition "
        .. "3 of article 3); the data is not confidential information.",
    },
    ["confidential"] = {
      zh = "该资料从发包方获取、发包方采取了保密措施且不为公众知悉,合同「{contract}」约定了保密义务:属于保密信息。",
      en = "The data was obtained from the employer, is protected by the employer and not "
        .. "public, and contract \"{contract}\" binds the contractor to confidentiality: it is "
        .. "confidential information.",
    },
}

return M
