-- policies/lib/confidential.lua — what confidential information (保密信息) is: the three
-- conditions of 商务部、工业和信息化部令2009年第13号 第三条, repeated word for word by
-- 穗外经贸法〔2012〕7号 第三条.  The reading is in gz-2012/art3.lua and mofcom-2009-13/art3.lua.
--
-- Used by gz-2012 arts. 3, 4, 5, 7 and mofcom-2009-13 arts. 3, 4, 5, 6.  The codes returned
-- here are message codes: every article using a function declares them in its `messages`.
-- Loop-free, so the articles using it stay unmetered per instruction.
local contracts = require "contracts"
local entrustment = require "entrustment"

local M = {}

-- The first of art. 3's conditions the data fails, in the definition's own terms:
-- (一) "not-entrusted", or "entrustment-unknown" (lib/entrustment.lua: not stated and not
-- derivable); (二) "protection-not-stated", "not-protected", "public"; (三)
-- "no-confidentiality-duty".  nil when it meets all three.  The second value is the contract
-- when it could be read (nil when the request names none or the data does not hold it).
--
-- (二) when the request does not state the employer's measures (protected_by_employer absent):
-- a contract that binds the contractor to confidentiality (`confidentiality: true`) is itself
-- a confidentiality measure the employer took — it made the contractor promise secrecy — so
-- the data establishes the measures.  A contract silent on confidentiality establishes
-- nothing: the fact is missing ("protection-not-stated"), and the articles that protect
-- confidential information refuse rather than fall silent.
local function failed_condition(req, data)
  local resource = req.resource
  local entrusted = entrustment.entrusted(req, data)
  if entrusted == nil then return "entrustment-unknown" end
  if entrusted ~= true then return "not-entrusted" end
  local contract = contracts.find(req, data)
  local protected = resource.protected_by_employer
  if protected == nil and contract ~= nil and contract.confidentiality == true then
    protected = true
  end
  if protected == false then return "not-protected" end
  if resource.public == true then return "public" end
  if contract ~= nil and contract.confidentiality == false then
    return "no-confidentiality-duty", contract
  end
  -- the conditions hold together: a missing fact matters only when none of them fails
  if protected == nil then return "protection-not-stated", contract end
  return nil, contract
end

-- The codes of a fact that is missing rather than of a condition that fails: the articles
-- refuse on them (fail closed) instead of saying nothing.
local MISSING = { ["entrustment-unknown"] = true, ["protection-not-stated"] = true }

-- For the articles that protect confidential information (arts. 4, 5, 7 / 4, 5, 6): nil when
-- the data is confidential information; otherwise the message code of the condition it fails —
-- (一) "not-entrusted", (二) "not-protected" (not protected by the employer, or public), (三)
-- "no-confidentiality-duty": not applicable — or, second value true, of a fact that is missing
-- — "entrustment-unknown" (param contract), "protection-not-stated": the article refuses.
-- The common path allocates nothing.
function M.not_confidential(req, data)
  local failed = failed_condition(req, data)
  if failed == "public" then return "not-protected" end
  if MISSING[failed] then
    if failed == "entrustment-unknown" then
      return failed, true, { contract = req.resource.contract }
    end
    return failed, true
  end
  return failed
end

-- For the definition itself (art. 3): the message code and params of its finding — the
-- condition that fails, or why the data is confidential information: "confidential" (the
-- contract binds the contractor), "confidential-contract-silent" (the contract says nothing
-- about confidentiality), "confidential-contract-unknown" (the contract cannot be read).
function M.classify(req, data)
  local failed, contract = failed_condition(req, data)
  local id = req.resource.contract
  if failed == "no-confidentiality-duty" or failed == "entrustment-unknown" then
    return failed, { contract = id }
  end
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
    ["entrustment-unknown"] = entrustment.MESSAGES["entrustment-unknown"],
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
      zh = "请求未说明发包方是否对该资料采取了保密措施(resource.protected_by_employer),合同也未约定保密义务,无法认定是否符合第三条第(二)项;保护保密信息的条款因此拒绝。",
      en = "The request does not say whether the employer took confidentiality measures for "
        .. "the data (resource.protected_by_employer), and no contract binding the contractor "
        .. "to confidentiality shows them, so condition 2 of article 3 cannot be judged; the "
        .. "articles protecting confidential information refuse.",
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

-- The messages of the missing facts, for the articles that protect confidential information
-- (gz-2012 arts. 4, 5, 7; mofcom-2009-13 arts. 4, 5, 6), which refuse on them.
M.MISSING_MESSAGES = {
  ["entrustment-unknown"] = entrustment.MESSAGES["entrustment-unknown"],
  ["protection-not-stated"] = {
    zh = "请求未说明发包方是否对该资料采取了保密措施(resource.protected_by_employer),合同也未约定保密义务,无法确认该资料是否为保密信息、本条是否适用,予以拒绝。",
    en = "The request does not say whether the employer took confidentiality measures for the "
      .. "data (resource.protected_by_employer), and no contract binding the contractor to "
      .. "confidentiality shows them, so whether it is confidential information, and whether "
      .. "this article applies, cannot be known; refused.",
  },
}

return M
