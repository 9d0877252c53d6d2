-- policies/lib/contract_use.lua — whether an act on the employer's confidential information
-- is against the outsourcing contract: 商务部、工业和信息化部令2009年第13号 第四条, repeated
-- word for word by 穗外经贸法〔2012〕7号 第四条 (no disclosing, using or letting others use it
-- against the contract).  The reading, step by step, is in gz-2012/art4.lua and
-- mofcom-2009-13/art4.lua; this is its steps 4-6 and the closing verdicts.
--
-- Used by gz-2012 art. 4 and mofcom-2009-13 art. 4, which both declare every code below in
-- their `messages`.  Loop-free.
local contracts = require "contracts"

local M = {}

-- Acts that put the information in someone else's hands.
local DISCLOSING = { disclose = true, transfer = true, share = true, provide = true,
                     export = true, sell = true }

-- The article's verdict on an act other than deleting, on confidential information: deny when
-- the contract cannot be read ("no-contract", "unknown-contract"), when the person acting or
-- the act is not within it ("no-subject", "subject-not-in-contract", "no-action",
-- "action-not-in-contract"), or when the information is handed to someone outside it
-- ("no-recipient", "recipient-not-in-contract"); otherwise not applicable:
-- "contract-silent" (no `subjects` or no `actions` to act against) or "not-against-contract".
function M.judge(req, data)
  local contract, code, params = contracts.required(req, data)
  if contract == nil then return deny(code, params) end
  local id = req.resource.contract

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

  if action ~= nil and DISCLOSING[action] then
    local recipient = custos.field(req, "context.recipient")
    if type(recipient) ~= "string" or recipient == "" then
      return deny("no-recipient", { action = action, contract = id })
    end
    if recipient ~= contract.employer and recipient ~= req.resource.owner
       and not custos.has(contract.recipients, recipient)
       and not custos.has(subjects, recipient) then
      return deny("recipient-not-in-contract", { recipient = recipient, contract = id })
    end
  end

  if subjects == nil or actions == nil then
    return not_applicable("contract-silent", { contract = id })
  end
  return not_applicable("not-against-contract") -- the common path: no params, no allocation
end

return M
