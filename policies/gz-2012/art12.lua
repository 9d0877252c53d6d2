-- policies/gz-2012/art12.lua — 穗外经贸法〔2012〕7号 第十二条: the contracting enterprise must
-- make and take practicable steps so that the commercial and personal data entrusted to it
-- are safeguarded against unauthorized or accidental access, processing, deletion or other
-- use.  Guangzhou's own article: the national rule has no counterpart.
--
-- The published text reads "未获准或以外的"; "以外" is read as the evident misprint for "意外"
-- (accidental), which is how the sentence makes sense ("unauthorized or accidental").  The
-- quoted text keeps the published wording.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. Applies to entrusted data (受委托处理的商业和个人资料), confidential or not.
--  2. "获准" — authorized — means authorized by the employer, which the contract records: who
--     (`subjects`) and what (`actions`).  The contract is needed: none, or an unknown one, is
--     denied (fail closed).
--  3. Who: a contract silent on subjects authorizes no one; a request without a subject
--     cannot be shown to be authorized; a subject the contract does not name is not.  All
--     deny — deletion included: destruction by an unauthorized person is exactly what the
--     article guards against.
--  4. Deletion.  Art. 10 demands deletion once the retention has ended (art10.lua permits it
--     as "delete-after-retention"), so after `retention_until` a named subject's delete is
--     required, not merely authorized: permit ("deletion-required") whatever the contract's
--     actions say.  Before that — or when the contract states no retention — a delete is
--     authorized only if the contract lists "delete" among its actions; otherwise it is an
--     unauthorized deletion: deny.  (This is the question art10.lua leaves to this article.)
--     Returning the data to the employer after `retention_until` is read the same way: the data
--     may no longer be kept, and giving it back is one way to stop keeping it: permit
--     ("return-required", log-access).  Before that a return is an act like any other (5).
--  5. Every other act (access, processing, any other use) must be listed in the contract's
--     `actions`; a contract silent on actions authorizes none.  A request without an action
--     cannot be shown to be authorized.  Deny otherwise.  Whether the time is within the
--     retention is art. 10's question, not repeated here.
--  6. Otherwise permit, with the steps a host can take for this act as obligations:
--     "log-access" (record who accessed what, so unauthorized access can be detected) and
--     "backup" (against accidental loss or deletion).  A permitted delete carries only
--     "log-access": backing up data being deleted would defeat the deletion.

local entrustment = require "entrustment"
local acts = require "actions"
local contracts = require "contracts"

-- The obligations of a permit, built once (never modified): deciding allocates no list.
local LOG = { "log-access" }
local LOG_AND_BACKUP = { "log-access", "backup" }

return article {
  number = "12",
  text = {
    zh = "第十二条 接包企业必须制订并采取切实可行的步骤,以确保受委托处理的商业和个人资料受保障,不受未获准或以外的查阅、处理、删除或其他使用所影响。",
    en = "Article 12  The contracting enterprise must make and take practicable steps to "
      .. "ensure that the commercial and personal data entrusted to it for processing are "
      .. "safeguarded against unauthorized or accidental access, processing, deletion or "
      .. "other use.",
  },
  citation = "穗外经贸法〔2012〕7号 第十二条",
  obligations = { "log-access", "backup" },
  messages = custos.messages(entrustment.MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,第十二条不适用。",
      en = "The data was not entrusted by an employer; article 12 does not apply.",
    },
    ["no-contract"] = {
      zh = "请求未指明委托资料所依据的合同,无法确认该行为已获发包方准许,予以拒绝。",
      en = "The request names no contract for the entrusted data, so the act cannot be shown "
        .. "to be authorized by the employer; refused.",
    },
    ["unknown-contract"] = {
      zh = "找不到合同「{contract}」,无法确认该行为已获发包方准许,予以拒绝。",
      en = "No contract \"{contract}\" is known, so the act cannot be shown to be authorized "
        .. "by the employer; refused.",
    },
    ["no-authorized-subjects"] = {
      zh = "合同「{contract}」未约定任何获准人员,对受委托资料的查阅、处理、删除均未获准。",
      en = "Contract \"{contract}\" authorizes no one, so no access, processing or deletion of "
        .. "the entrusted data is authorized.",
    },
    ["no-subject"] = {
      zh = "请求未指明行为人,无法确认其已获准查阅、处理或删除受委托资料。",
      en = "The request names no one acting, so they cannot be shown to be authorized to "
        .. "access, process or delete the entrusted data.",
    },
    ["unauthorized-subject"] = {
      zh = "「{subject}」未获合同「{contract}」准许,不得查阅、处理、删除或以其他方式使用受委托资料。",
      en = "\"{subject}\" is not authorized by contract \"{contract}\" and may not access, "
        .. "process, delete or otherwise use the entrusted data.",
    },
    ["deletion-required"] = {
      zh = "合同「{contract}」约定的保存期限已于{retention_until}届满,删除是第十条的要求,不属于未获准的删除;删除应记录。",
      en = "The retention agreed in contract \"{contract}\" ended on {retention_until}; "
        .. "deleting is what article 10 requires, not an unauthorized deletion.  The deletion "
        .. "must be logged.",
    },
    ["return-required"] = {
      zh = "合同「{contract}」约定的保存期限已于{retention_until}届满,资料不得再保存;将资料归还发包方不属于未获准的处理;归还应记录。",
      en = "The retention agreed in contract \"{contract}\" ended on {retention_until}, so the data "
        .. "may not be kept; returning it to the employer is no unauthorized processing.  The "
        .. "return must be logged.",
    },
    ["authorized-deletion"] = {
      zh = "合同「{contract}」准许「{subject}」删除受委托资料;删除应记录。",
      en = "Contract \"{contract}\" authorizes \"{subject}\" to delete the entrusted data; the "
        .. "deletion must be logged.",
    },
    ["unauthorized-deletion"] = {
      zh = "合同「{contract}」未准许删除,且保存期限未届满(或未约定),「{subject}」删除受委托资料属于未获准的删除。",
      en = "Contract \"{contract}\" does not authorize deletion and its retention has not ended "
        .. "(or is not stated), so \"{subject}\" deleting the entrusted data would be an "
        .. "unauthorized deletion.",
    },
    ["no-action"] = {
      zh = "请求未指明行为,无法确认其已获合同「{contract}」准许。",
      en = "The request names no action, so it cannot be shown to be authorized by contract "
        .. "\"{contract}\".",
    },
    ["unauthorized-action"] = {
      zh = "合同「{contract}」未准许「{action}」,该行为属于未获准的查阅、处理或其他使用。",
      en = "Contract \"{contract}\" does not authorize \"{action}\"; it would be an "
        .. "unauthorized access, processing or other use of the entrusted data.",
    },
    ["authorized"] = {
      zh = "合同「{contract}」准许「{subject}」「{action}」受委托资料;查阅应记录,资料应备份以防意外灭失。",
      en = "Contract \"{contract}\" authorizes \"{subject}\" to \"{action}\" the entrusted data; "
        .. "the access must be logged and the data backed up against accidental loss.",
    },
  }),
  rule = function(req, data)
    local entrusted = entrustment.entrusted(req, data)
    if entrusted == nil then
      return deny("entrustment-unknown", { contract = req.resource.contract })
    end
    if not entrusted then return not_applicable("not-entrusted") end
    local contract, code, params = contracts.required(req, data)
    if contract == nil then return deny(code, params) end
    local id = req.resource.contract

    local subjects = contract.subjects
    if subjects == nil then return deny("no-authorized-subjects", { contract = id }) end
    local subject = req.subject.id
    if subject == nil then return deny("no-subject", { contract = id }) end
    if not custos.has(subjects, subject) then
      return deny("unauthorized-subject", { subject = subject, contract = id })
    end

    local action = req.action
    if action == nil then return deny("no-action", { contract = id }) end
    local actions = contract.actions
    if acts.returns_to_employer(action, contract, req, data)
       and contracts.within_retention(contract, req) == false then
      return permit("return-required",
                    { contract = id, retention_until = contract.retention_until }, LOG)
    end
    if action == "delete" then
      if contracts.within_retention(contract, req) == false then
        return permit("deletion-required",
                      { contract = id, retention_until = contract.retention_until }, LOG)
      end
      if custos.has(actions, "delete") then
        return permit("authorized-deletion", { subject = subject, contract = id }, LOG)
      end
      return deny("unauthorized-deletion", { subject = subject, contract = id })
    end

    if not custos.has(actions, action) then
      return deny("unauthorized-action", { action = action, contract = id })
    end
    return permit("authorized", { subject = subject, action = action, contract = id },
                  LOG_AND_BACKUP)
  end,
}
