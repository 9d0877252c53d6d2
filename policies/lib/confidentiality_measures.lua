-- policies/lib/confidentiality_measures.lua — the per-request part of the confidentiality
-- measures of 商务部、工业和信息化部令2009年第13号 第五条, implemented by 穗外经贸法〔2012〕7号
-- 第七条: the limited circle of people who handle secrets (item (一) of both), and which
-- information is important enough to be kept encrypted or in a restricted area (national item
-- (四), Guangzhou item (二)).  The reading is in gz-2012/art7.lua and mofcom-2009-13/art5.lua.
--
-- Used by gz-2012 art. 7 and mofcom-2009-13 art. 5, which both declare the denial codes below
-- in their `messages`.  Loop-free.
local contracts = require "contracts"

local M = {}

-- Classification levels that make information important.
local IMPORTANT_LEVELS = { secret = true, top_secret = true }

-- The person acting, when within the limited circle: the people the contract names
-- (`subjects`).  Returns the contract and the subject's id; or the contract (nil when it
-- cannot be read), nil, and the message code and params of the denial: "no-contract",
-- "unknown-contract" {contract}; "personnel-not-limited" {contract} (the contract names nobody,
-- so the circle is unlimited); "no-subject" {contract}; "outside-personnel" {subject, contract}.
function M.circle_member(req, data)
  local contract, code, params = contracts.required(req, data)
  if contract == nil then return nil, nil, code, params end
  local id = req.resource.contract
  local subjects = contract.subjects
  if subjects == nil then return contract, nil, "personnel-not-limited", { contract = id } end
  local subject = req.subject.id
  if subject == nil then return contract, nil, "no-subject", { contract = id } end
  if not custos.has(subjects, subject) then
    return contract, nil, "outside-personnel", { subject = subject, contract = id }
  end
  return contract, subject
end

-- Why the information is important, or nil: "technical" (formulas/recipes and procedure steps
-- are technical information), its classification when secret or top_secret (the employer
-- grades it important: "等"/"and other important information"), or "important" when the host
-- marks it with the custom field resource.important = true.
function M.importance(req)
  local resource = req.resource
  if resource.category == "technical" then return "technical" end
  local level = resource.classification
  if IMPORTANT_LEVELS[level] then return level end
  if custos.field(req, "resource.important") == true then return "important" end
  return nil
end

-- The messages gz-2012 art. 7 and mofcom-2009-13 art. 5 word alike (the local article implements the national one);
-- each article adds or rewords its own with custos.messages.
M.MESSAGES = {
    ["no-contract"] = {
      zh = "请求未指明服务外包合同,无法确定限定的涉密人员范围,予以拒绝。",
      en = "The request names no outsourcing contract, so the limited circle of people who "
        .. "may handle the secrets cannot be known; refused.",
    },
    ["unknown-contract"] = {
      zh = "找不到合同「{contract}」,无法确定限定的涉密人员范围,予以拒绝。",
      en = "No contract \"{contract}\" is known, so the limited circle of people who may "
        .. "handle the secrets cannot be known; refused.",
    },
    ["no-subject"] = {
      zh = "请求未指明接触保密信息的人员,无法确认其在限定的涉密人员范围内。",
      en = "The request names no one acting, so they cannot be shown to be within the "
        .. "limited circle of people who handle the secrets.",
    },
    ["outside-personnel"] = {
      zh = "「{subject}」不在合同「{contract}」限定的涉密人员范围内,不得接触该保密信息。",
      en = "\"{subject}\" is outside the circle of people contract \"{contract}\" allows to "
        .. "handle the secrets, and may not handle this confidential information.",
    },
}

return M
