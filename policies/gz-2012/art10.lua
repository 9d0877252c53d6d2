-- policies/gz-2012/art10.lua — 穗外经贸法〔2012〕7号 第十条: who may use confidential
-- information, how, how widely and how long; keep entrusted data no longer than agreed; where
-- the contract is silent or unclear, act in the way that best protects the information.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. The article governs data the contractor holds under the contract, so it applies only to
--     entrusted data (resource.entrusted == true); anything else is not applicable.
--  2. The contract is what fixes subjects, manner, scope and time.  A request that names no
--     contract, or names one the data does not hold, cannot be shown to be within a contract:
--     deny (fail closed), with distinct codes so the host can tell a missing reference from a
--     wrong one.
--  3. Scope: data owned by another employer than the contract's is outside that contract.
--     (Checked only when both the resource's owner and the contract's employer are known.)
--  4. Subjects (使用主体).  A contract with no `subjects` is silent: the second paragraph asks
--     for the reading that best protects the information, which is that nobody is named, so
--     deny.  A subject the contract does not name is denied.
--  5. Deletion.  Art. 10 limits keeping and using the data; deleting it is neither, and once
--     the retention ends deleting is exactly what the article demands ("资料保存时间不得超过合
--     同约定时间").  So a contract subject may always delete under this article — within the
--     retention, after it, or when the contract is silent on retention or on actions — and is
--     never refused by art. 10 for deleting.  Deletion by someone who is not a contract
--     subject (or under a contract silent on subjects) is still denied at step 4: destruction
--     by an unnamed person does not protect the information either.  Whether a deletion the
--     contract did not agree to is "unauthorised deletion" is art. 12's question, which this
--     slice does not encode.
--     Returning the data to the employer (an act of kind "return" in lib/actions.lua, to the
--     employer) is read the same way as deleting: it ends the keeping that 「资料保存时间不得
--     超过合同约定时间」 limits, so a contract subject may return the data at any time, and
--     after the retention it is one of the two ways of not keeping it longer.  (Before this
--     reading a return was refused as an act the contract does not list.)
--  6. Manner (使用方式).  A contract with no `actions` is silent: deny.  An action the contract
--     does not list is denied.
--  7. Time (保存时间).  Every remaining act keeps or uses the data.  A contract silent on
--     retention: ¶2 says 「合同没有约定或者约定不明确的,接包方应当依照有利于保护保密信息的原则
--     使用、保存保密信息」 — the contractor shall *use and keep* the information on the
--     protective principle, so use goes on, protectively; it is not stopped.  Read: an act
--     that only uses the data (kind "use" in lib/actions.lua: use, process, access, ...) is
--     permitted ("protective-use"), with the obligation "delete-when-done" (keep it no longer
--     than the contracted work needs); an act that keeps or multiplies it (kind "store":
--     store, copy, back up, archive) has no agreed time to keep it for and is the least
--     protective: deny, with its own code (the contract needs a retention date).
--     (Subjects and actions are different: ¶2 governs how an agreed use goes on; it cannot
--     supply *who* or *what* the employer never agreed to — a contractor choosing them itself
--     would be the least protective reading — and art. 12 (「未获准」) refuses any access the
--     employer did not authorize anyway.  Steps 4 and 6 therefore still deny.)
--     After retention_until (inclusive to the last second of that day, China Standard Time)
--     deny "retention-expired".
--  8. Otherwise permit "within-contract", with the obligation to delete by retention_until.

local entrustment = require "entrustment"
local acts = require "actions"
local contracts = require "contracts"

return article {
  number = "10",
  text = {
    -- Quoted byte for byte from the notice as published, including the no-break space
    -- (U+00A0) after the article number and the ASCII commas of the published page.
    zh = "第十条  接包方应当与发包方明确约定对合同所涉及的保密信息的使用主体、使用方式、使用范围以及保密信息的保存时间。接包企业受委托的商业及个人资料保存时间应严格依照合同约定,资料保存时间不得超过合同约定时间。\n\n合同没有约定或者约定不明确的,接包方应当依照有利于保护保密信息的原则使用、保存保密信息。",
    en = "Article 10  The contractor shall agree expressly with the employer on who may use "
      .. "the confidential information the contract concerns, how, to what extent, and for how "
      .. "long it is kept.  The contracting enterprise shall keep the commercial and personal "
      .. "data entrusted to it strictly for the time the contract agrees, and shall not keep "
      .. "the data longer than the time the contract agrees.\n\n"
      .. "Where the contract makes no agreement, or the agreement is unclear, the contractor "
      .. "shall use and keep the confidential information on the principle that best protects "
      .. "it.",
  },
  citation = "穗外经贸法〔2012〕7号 第十条",
  obligations = { "delete-by", "delete-when-done" },
  messages = custos.messages(entrustment.MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,第十条不适用。",
      en = "The data was not entrusted by an employer; article 10 does not apply.",
    },
    ["no-contract"] = {
      zh = "请求未指明委托资料所依据的服务外包合同,无法确认使用主体、使用方式和保存时间是否符合合同约定,按有利于保护保密信息的原则拒绝。",
      en = "The request names no outsourcing contract for the entrusted data, so who may use "
        .. "it, how and for how long cannot be checked against a contract; refused on the "
        .. "principle that best protects the information.",
    },
    ["unknown-contract"] = {
      zh = "找不到合同「{contract}」,无法确认使用是否符合合同约定,按有利于保护保密信息的原则拒绝。",
      en = "No contract \"{contract}\" is known, so the use cannot be checked against it; "
        .. "refused on the principle that best protects the information.",
    },
    ["contract-of-another-employer"] = {
      zh = "资料属于发包方「{owner}」,而合同「{contract}」的发包方是「{employer}」,该资料不在此合同的使用范围内。",
      en = "The data belongs to employer \"{owner}\", but contract \"{contract}\" is with "
        .. "\"{employer}\"; the data is outside that contract's scope.",
    },
    ["contract-silent-on-subjects"] = {
      zh = "合同「{contract}」没有约定使用主体;合同没有约定的,应依照有利于保护保密信息的原则处理,故任何人均不得使用。",
      en = "Contract \"{contract}\" does not say who may use the data; where the contract is "
        .. "silent the most protective reading applies, so no one may use it.",
    },
    ["no-subject"] = {
      zh = "请求未指明使用主体,无法确认其是否为合同「{contract}」约定的使用主体。",
      en = "The request names no subject, so it cannot be shown to be a person contract "
        .. "\"{contract}\" allows to use the data.",
    },
    ["subject-not-in-contract"] = {
      zh = "「{subject}」不是合同「{contract}」约定的使用主体。",
      en = "\"{subject}\" is not among the people contract \"{contract}\" allows to use the data.",
    },
    ["delete-by-contract-subject"] = {
      zh = "合同「{contract}」约定的使用主体「{subject}」删除受委托资料,不违反第十条关于使用和保存的约定。",
      en = "\"{subject}\", a person named in contract \"{contract}\", deletes the entrusted "
        .. "data; deleting neither uses nor keeps it, so article 10 allows it.",
    },
    ["delete-after-retention"] = {
      zh = "合同「{contract}」约定的保存期限已于{retention_until}届满,资料保存时间不得超过合同约定时间,应予删除。",
      en = "The retention agreed in contract \"{contract}\" ended on {retention_until}; the "
        .. "data may not be kept longer than agreed, so deleting it is required.",
    },
    ["return-to-employer"] = {
      zh = "合同「{contract}」约定的使用主体「{subject}」将受委托资料归还发包方(「{action}」),既不使用也不再保存资料,不违反第十条;保存期限届满时正是第十条所要求的。",
      en = "\"{subject}\", a person named in contract \"{contract}\", returns the entrusted data "
        .. "to the employer (\"{action}\"); that neither uses nor keeps it, so article 10 allows "
        .. "it — when the retention ends it is what the article demands.",
    },
    ["no-action"] = {
      zh = "请求未指明使用方式,无法确认其是否符合合同「{contract}」约定的使用方式。",
      en = "The request names no action, so it cannot be checked against the uses contract "
        .. "\"{contract}\" allows.",
    },
    ["contract-silent-on-actions"] = {
      zh = "合同「{contract}」没有约定使用方式;合同没有约定的,应依照有利于保护保密信息的原则处理,故不得「{action}」。",
      en = "Contract \"{contract}\" does not say how the data may be used; where the contract "
        .. "is silent the most protective reading applies, so \"{action}\" is not allowed.",
    },
    ["action-not-in-contract"] = {
      zh = "合同「{contract}」没有约定「{action}」这一使用方式。",
      en = "Contract \"{contract}\" does not allow the action \"{action}\".",
    },
    ["retention-unstated"] = {
      zh = "合同「{contract}」没有约定资料保存时间;合同没有约定的,应依照有利于保护保密信息的原则保存,故不得以「{action}」方式另行保存资料。请补充约定保存时间。",
      en = "Contract \"{contract}\" states no retention period; where the contract is silent "
        .. "the data is kept on the most protective principle, so \"{action}\", which keeps "
        .. "it, is not allowed.  The contract needs a retention date.",
    },
    ["protective-use"] = {
      zh = "合同「{contract}」没有约定资料保存时间;合同没有约定的,接包方应当依照有利于保护保密信息的原则使用、保存:「{subject}」可以「{action}」方式使用资料,但不得另行保存或复制,服务完成后应删除。",
      en = "Contract \"{contract}\" states no retention period; where the contract is silent the "
        .. "contractor uses and keeps the information on the principle that best protects it: "
        .. "\"{subject}\" may \"{action}\" the data, but may not keep further copies, and must "
        .. "delete it once the contracted work is done.",
    },
    ["retention-expired"] = {
      zh = "合同「{contract}」约定的保存期限已于{retention_until}届满,资料保存时间不得超过合同约定时间,不得再「{action}」,应予删除。",
      en = "The retention agreed in contract \"{contract}\" ended on {retention_until}; the "
        .. "data may not be kept longer than agreed, so \"{action}\" is not allowed and the "
        .. "data must be deleted.",
    },
    ["within-contract"] = {
      zh = "「{subject}」以「{action}」方式使用资料,符合合同「{contract}」约定的使用主体和使用方式,且在约定保存期限({retention_until})内;期满应删除。",
      en = "\"{subject}\" may \"{action}\" the data: contract \"{contract}\" names them and "
        .. "allows that use, and its retention runs to {retention_until}, when the data must "
        .. "be deleted.",
    },
  }),
  rule = function(req, data)
    local resource = req.resource
    local entrusted = entrustment.entrusted(req, data)
    if entrusted == nil then
      return deny("entrustment-unknown", { contract = req.resource.contract })
    end
    if not entrusted then return not_applicable("not-entrusted") end

    local contract, code, params = contracts.required(req, data)
    if contract == nil then return deny(code, params) end
    local id = resource.contract

    local owner, employer = resource.owner, contract.employer
    if owner ~= nil and employer ~= nil and owner ~= employer then
      return deny("contract-of-another-employer",
                  { contract = id, owner = owner, employer = employer })
    end

    local subjects = contract.subjects
    if subjects == nil then return deny("contract-silent-on-subjects", { contract = id }) end
    local subject = req.subject.id
    if subject == nil then return deny("no-subject", { contract = id }) end
    if not custos.has(subjects, subject) then
      return deny("subject-not-in-contract", { subject = subject, contract = id })
    end

    local action = req.action
    if action == nil then return deny("no-action", { contract = id }) end
    local within = contracts.within_retention(contract, req)

    local kind = acts.kind(action, data)
    if kind == "delete" then
      if within == false then
        return permit("delete-after-retention",
                      { contract = id, retention_until = contract.retention_until })
      end
      return permit("delete-by-contract-subject", { subject = subject, contract = id })
    end
    if acts.returns_to_employer(action, contract, req, data) then
      return permit("return-to-employer", { subject = subject, contract = id, action = action })
    end

    local actions = contract.actions
    if actions == nil then
      return deny("contract-silent-on-actions", { contract = id, action = action })
    end
    if not custos.has(actions, action) then
      return deny("action-not-in-contract", { contract = id, action = action })
    end

    if within == nil then
      if kind == "use" then
        return permit("protective-use", { subject = subject, action = action, contract = id },
                      { { id = "delete-when-done", contract = id } })
      end
      return deny("retention-unstated", { contract = id, action = action })
    end
    local retention_until = contract.retention_until
    if not within then
      return deny("retention-expired",
                  { contract = id, action = action, retention_until = retention_until })
    end
    return permit("within-contract",
                  { subject = subject, action = action, contract = id,
                    retention_until = retention_until },
                  { { id = "delete-by", date = retention_until } })
  end,
}
