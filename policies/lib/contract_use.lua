-- policies/lib/contract_use.lua — whether an act on the employer's confidential information
-- is against the outsourcing contract: 商务部、工业和信息化部令2009年第13号 第四条, repeated
-- word for word by 穗外经贸法〔2012〕7号 第四条 (no disclosing, using or letting others use it
-- against the contract).  The reading, step by step, is in gz-2012/art4.lua and
-- mofcom-2009-13/art4.lua; this is its steps 4-6 and the closing verdicts.
--
-- Used by gz-2012 art. 4 and mofcom-2009-13 art. 4, which both declare every code below in
-- their `messages`.  Loop-free.
local acts = require "actions"
local contracts = require "contracts"

local M = {}

-- The article's verdict on an act other than deleting, on confidential information: deny when
-- the contract cannot be read ("no-contract", "unknown-contract"), when the person acting or
-- the act is not within it ("no-subject", "subject-not-in-contract", "no-action",
-- "action-not-in-contract"), when what the act does is not declared ("undeclared-action":
-- lib/actions.lua, or the data's `actions`), or when the information is handed to someone
-- outside it ("no-recipient", "recipient-not-in-contract"); otherwise not applicable:
-- "contract-silent" (no `subjects` or no `actions` to act against) or "not-against-contract".
function M.judge(req, data)
  local contract, code, params = contracts.required(req, data)
  if contract == nil then return deny(code, params) end
  local id = req.resource.contract
  -- giving the information back to the employer discloses it to no one and uses it for
  -- nothing: not applicable, like deleting it
  if acts.returns_to_employer(req.action, contract, req, data) then
    return not_applicable("return")
  end

  local subjects, actions = contract.subjects, contract.actions
  local subject = req.subject.id
  if subjects ~= nil then
    if subject == nil then return deny("no-subject", { contract = id }) end
    if not custos.has(subjects, subject) then
      return deny("subject-not-in-contract", { subject = subject, contract = id })
    end
  end
  local action = req.action
  if actions ~= nil then
    if action == nil then return deny("no-action", { contract = id }) end
    if not custos.has(actions, action) then
      return deny("action-not-in-contract", { action = action, contract = id })
    end
  end

  if action ~= nil then
    -- whether the act hands the information to someone: by what it does, not its name
    local kind = acts.kind(action, data)
    if kind == nil then return deny("undeclared-action", { action = action }) end
    if kind == "handover" then
      local recipient = req.context.recipient
      if recipient == nil or recipient == "" then
        return deny("no-recipient", { action = action, contract = id })
      end
      if not acts.within_circle(recipient, contract, req) then
        return deny("recipient-not-in-contract", { recipient = recipient, contract = id })
      end
    end
  end

  if subjects == nil or actions == nil then
    return not_applicable("contract-silent", { contract = id })
  end
  return not_applicable("not-against-contract") -- the common path: no params, no allocation
end

-- The messages gz-2012 art. 4 and mofcom-2009-13 art. 4 word alike (the local article implements the national one);
-- each article adds or rewords its own with custos.messages.
M.MESSAGES = {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,不是保密信息,第四条不适用。",
      en = "The data was not entrusted by an employer, so it is not confidential "
        .. "information; article 4 does not apply.",
    },
    ["not-protected"] = {
      zh = "发包方未对该资料采取保密措施,或该资料已为公众知悉(或请求未说明),不符合第三条第(二)项,不是保密信息,第四条不适用。",
      en = "The employer's confidentiality measures are not shown, or the data is public, so "
        .. "condition 2 of article 3 fails: it is not confidential information and article "
        .. "4 does not apply.",
    },
    ["no-confidentiality-duty"] = {
      zh = "合同约定接包方不承担保密义务,不符合第三条第(三)项,该资料不是保密信息,第四条不适用。",
      en = "The contract does not bind the contractor to confidentiality (condition 3 of "
        .. "article 3), so the data is not confidential information; article 4 does not "
        .. "apply.",
    },
    ["deletion"] = {
      zh = "删除资料既不是披露也不是使用,第四条不适用。",
      en = "Deleting the data neither discloses nor uses it; article 4 does not apply.",
    },
    ["return"] = {
      zh = "将资料归还发包方既不是向他人披露也不是使用,第四条不适用。",
      en = "Returning the data to the employer neither discloses it to others nor uses it; "
        .. "article 4 does not apply.",
    },
    ["no-contract"] = {
      zh = "请求未指明保密信息所依据的服务外包合同,无法确认披露或使用是否违反合同约定,予以拒绝。",
      en = "The request names no outsourcing contract for the confidential information, so "
        .. "its disclosure or use cannot be shown to keep to the contract; refused.",
    },
    ["unknown-contract"] = {
      zh = "找不到合同「{contract}」,无法确认披露或使用是否违反合同约定,予以拒绝。",
      en = "No contract \"{contract}\" is known, so the disclosure or use cannot be shown to "
        .. "keep to it; refused.",
    },
    ["no-subject"] = {
      zh = "请求未指明由谁使用保密信息,无法确认其是否为合同「{contract}」约定的人员。",
      en = "The request names no one acting, so it cannot be shown that contract "
        .. "\"{contract}\" allows them to use the confidential information.",
    },
    ["subject-not-in-contract"] = {
      zh = "「{subject}」不是合同「{contract}」约定的人员;接包方不得违反合同约定允许他人使用发包方的保密信息。",
      en = "\"{subject}\" is not among the people contract \"{contract}\" names; the contractor "
        .. "may not, against the contract, let others use the employer's confidential "
        .. "information.",
    },
    ["no-action"] = {
      zh = "请求未指明对保密信息的行为,无法确认其是否符合合同「{contract}」的约定。",
      en = "The request names no action, so it cannot be shown to keep to contract "
        .. "\"{contract}\".",
    },
    ["action-not-in-contract"] = {
      zh = "合同「{contract}」没有约定「{action}」;不得违反合同约定使用发包方的保密信息。",
      en = "Contract \"{contract}\" does not allow \"{action}\"; the employer's confidential "
        .. "information may not be used against the contract.",
    },
    ["no-recipient"] = {
      zh = "「{action}」会使他人获得保密信息,但请求未指明接收方(context.recipient),无法确认是否符合合同「{contract}」的约定。",
      en = "\"{action}\" puts the confidential information in someone else's hands, but the "
        .. "request names no recipient (context.recipient), so it cannot be shown to keep to "
        .. "contract \"{contract}\".",
    },
    ["undeclared-action"] = {
      zh = "未声明「{action}」这一行为的作用(使用、保存、交给他人、删除或归还),无法确认它是否使他人获得保密信息,予以拒绝。",
      en = "What \"{action}\" does (use, keep, hand over, delete or return the data) is not "
        .. "declared, so whether it puts the confidential information in someone else's "
        .. "hands cannot be known; refused.",
    },
    ["recipient-not-in-contract"] = {
      zh = "「{recipient}」既不是发包方,也不是合同「{contract}」约定的接收方或人员;不得违反合同约定向其披露或允许其使用保密信息。",
      en = "\"{recipient}\" is neither the employer nor a recipient or person contract "
        .. "\"{contract}\" names; the confidential information may not, against the contract, "
        .. "be disclosed to them or let for their use.",
    },
    ["not-against-contract"] = {
      zh = "该行为未违反合同关于保密信息的使用主体、使用方式和接收方的约定。",
      en = "The act is not against the contract's terms on who may use the confidential "
        .. "information, how, and to whom it may be handed.",
    },
}

return M
