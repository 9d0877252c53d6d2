-- policies/gz-2012/art7.lua — 穗外经贸法〔2012〕7号 第七条: an information protection body and
-- reasonable, concrete, effective confidentiality measures, including limiting the people who
-- handle secrets, encrypting or restricting important information, key management, physical
-- controls, network security with strict authentication and access authorization, backups,
-- incident plans.  Implements 商务部、工业和信息化部令2009年第13号 第五条.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. The measures protect confidential information (保密信息): the three conditions of
--     art. 3, applied as art3.lua reads them (both use lib/confidential.lua).
--     Otherwise not applicable ("not-entrusted" / "not-protected" /
--     "no-confidentiality-duty", the condition that fails).
--  2. Item (一), 限定涉密人员范围: the limited circle is the people the contract names
--     (`subjects`, the need-to-know list the employer agreed to).  The contract is needed to
--     know the circle: none, or an unknown one, is denied (fail closed).  A contract that
--     names nobody leaves the circle unlimited, which is exactly what (一) forbids: deny
--     ("personnel-not-limited").  A request with no subject, or a subject outside the circle,
--     is denied.
--  3. Item (一), second half, 限制涉密人员与其他员工交流涉密信息: an act that hands the
--     information on (kind "handover" in lib/actions.lua) to a recipient (`context.recipient`)
--     who is a colleague — `context.recipient_org` is the subject's own organisation or the
--     contract's contractor — but not in the circle is denied.  Handing it to people outside
--     the contractor is art. 4's and art. 13's question.
--  4. Otherwise permit, with the measures a host can carry out for this act as obligations:
--     - "log-access" on every permit: (五) requires a strict identity-authentication and
--       access-authorization system; logging the authorized access is the part a decision can
--       oblige.
--     - "backup": (五) also requires 「完善的系统备份和故障恢复手段」, complete system backup and
--       recovery — the same item as mofcom-2009-13 art. 5 (七), which this article implements,
--       so the same obligation (not for a delete: backing up data being deleted would defeat
--       the deletion).
--     - "encrypt-at-rest" (alternative: restricted storage) when the information is
--       important — (二) 对配方含量和程序步骤等重要信息加密保存或保存于受限区域.  Formulas
--       and procedure steps are technical information, so resource.category == "technical"
--       is important; "等" extends it to information the employer grades as important, read
--       as classification secret or top_secret; a host may also mark any resource with the
--       custom field resource.important = true.  A delete leaves nothing to store, so it
--       carries only log-access.
--     Items (三), (四), (六), (七), (八) — key management, physical control, incident plans,
--     certified software, agreed measures — are standing organisational duties with no
--     per-request question, and are not decided here.

-- The obligations of a permit, built once (never modified): deciding allocates no list.
local LOG = { "log-access" }
local LOG_AND_BACKUP = { "log-access", "backup" }
local ENCRYPT_LOG_AND_BACKUP = { { id = "encrypt-at-rest", alternative = "restricted-storage" },
                                 "log-access", "backup" }

local acts = require "actions"

local confidential = require "confidential"
local confidentiality_measures = require "confidentiality_measures"

return article {
  number = "7",
  text = {
    -- Quoted from the notice as published, with its ASCII punctuation and blank lines.
    zh = "第七条 接包方应成立信息保护机构或指定专职人员负责制定和完善本企业的信息保护规章制度,对保密信息采取合理的、具体的、有效的保密措施,包括但不限于:\n\n(一)限定涉密人员范围,限制涉密人员与其他员工交流涉密信息;\n\n(二)对配方含量和程序步骤等重要信息加密保存或保存于受限区域;\n\n(三)对保密信息的记录载体使用密钥管理并进行分级管理;\n\n(四)对保密信息载体及其存储场所采取技术物理控制,限制来访者或者对他们提出保密要求,有效阻隔可容纳信息的电子产品,以避免信息被他人不当访问或获取;\n\n(五)对存有保密信息的计算机建立有效的网络安全管理和数据保护措施,建立严格的身份认证和访问授权体系,采用完善的系统备份和故障恢复手段,定期进行安全补丁和病毒库的升级;\n\n(六)制定保密信息安全应急处置预案;\n\n(七)鼓励购买通过国家信息安全认证的信息安全保护软件和备份系统;\n\n(八)接包方与发包方约定的其他措施。",
    en = "Article 7  The contractor shall set up an information protection body, or designate "
      .. "full-time staff, to make and improve the enterprise's information protection rules, "
      .. "and shall take reasonable, concrete and effective confidentiality measures for "
      .. "confidential information, including but not limited to:\n\n"
      .. "(1) limiting the range of people who handle secrets, and restricting their "
      .. "communication of secret information with other staff;\n\n"
      .. "(2) encrypting important information such as formula contents and procedure steps, "
      .. "or keeping it in restricted areas;\n\n"
      .. "(3) managing the record carriers of confidential information with keys and by "
      .. "grades;\n\n"
      .. "(4) applying technical and physical controls to the carriers of confidential "
      .. "information and the places they are kept, restricting visitors or requiring "
      .. "confidentiality of them, and effectively keeping out electronic devices that can "
      .. "hold information, so that the information is not improperly accessed or obtained;\n\n"
      .. "(5) establishing effective network security management and data protection for "
      .. "computers holding confidential information, a strict system of identity "
      .. "authentication and access authorization, complete system backup and failure "
      .. "recovery, and regular security patches and virus definition updates;\n\n"
      .. "(6) making an emergency response plan for the security of confidential "
      .. "information;\n\n"
      .. "(7) being encouraged to buy information security software and backup systems that "
      .. "passed national information security certification;\n\n"
      .. "(8) other measures agreed between the contractor and the employer.",
  },
  citation = "穗外经贸法〔2012〕7号 第七条",
  implements = { { regime = "mofcom-2009-13", article = "5" } },
  obligations = { "log-access", "backup", "encrypt-at-rest" },
  messages = custos.messages(confidentiality_measures.MESSAGES, confidential.MISSING_MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,不是保密信息,第七条不适用。",
      en = "The data was not entrusted by an employer, so it is not confidential "
        .. "information; article 7 does not apply.",
    },
    ["not-protected"] = {
      zh = "发包方未对该资料采取保密措施,或该资料已为公众知悉(或请求未说明),不符合第三条第(二)项,不是保密信息,第七条不适用。",
      en = "The employer's confidentiality measures are not shown, or the data is public, so "
        .. "condition 2 of article 3 fails: it is not confidential information and article "
        .. "7 does not apply.",
    },
    ["no-confidentiality-duty"] = {
      zh = "合同约定接包方不承担保密义务,不符合第三条第(三)项,该资料不是保密信息,第七条不适用。",
      en = "The contract does not bind the contractor to confidentiality (condition 3 of "
        .. "article 3), so the data is not confidential information; article 7 does not "
        .. "apply.",
    },
    ["personnel-not-limited"] = {
      zh = "合同「{contract}」没有限定涉密人员范围;接包方应限定涉密人员范围,故任何人均不得接触该保密信息。",
      en = "Contract \"{contract}\" does not limit who may handle the secrets; the contractor "
        .. "must limit that circle, so no one may handle this confidential information.",
    },
    ["shared-with-other-staff"] = {
      zh = "「{recipient}」是接包方的其他员工,不在合同「{contract}」限定的涉密人员范围内;应限制涉密人员与其他员工交流涉密信息。",
      en = "\"{recipient}\" is another member of the contractor's staff, outside the circle "
        .. "contract \"{contract}\" allows to handle the secrets; people who handle secrets "
        .. "must not pass them to other staff.",
    },
    ["limited-personnel"] = {
      zh = "「{subject}」在合同「{contract}」限定的涉密人员范围内;访问应经身份认证和授权并记录,系统应备份。",
      en = "\"{subject}\" is within the circle of people contract \"{contract}\" allows to "
        .. "handle the secrets; the access must be authenticated, authorized and logged, and "
        .. "the system backed up.",
    },
    ["limited-personnel-delete"] = {
      zh = "「{subject}」在合同「{contract}」限定的涉密人员范围内;删除应经身份认证和授权并记录。",
      en = "\"{subject}\" is within the circle of people contract \"{contract}\" allows to "
        .. "handle the secrets; the deletion must be authenticated, authorized and logged.",
    },
    ["important-information"] = {
      zh = "「{subject}」在合同「{contract}」限定的涉密人员范围内;该资料属于重要信息({why}),应加密保存或保存于受限区域,访问应经身份认证和授权并记录,系统应备份。",
      en = "\"{subject}\" is within the circle of people contract \"{contract}\" allows to "
        .. "handle the secrets; the data is important information ({why}), so it must be "
        .. "kept encrypted or in a restricted area, the access authenticated, authorized and "
        .. "logged, and the system backed up.",
    },
  }),
  rule = function(req, data)
    local excluded, missing, params = confidential.not_confidential(req, data)
    if excluded ~= nil then
      if missing then return deny(excluded, params) end -- a missing fact: no silent gap
      return not_applicable(excluded)
    end

    local contract, subject, code, params = confidentiality_measures.circle_member(req, data)
    if subject == nil then return deny(code, params) end
    local id = req.resource.contract

    local action = req.action
    if action ~= nil and acts.kind(action, data) == "handover" then
      local recipient = req.context.recipient
      local recipient_org = custos.field(req, "context.recipient_org")
      if type(recipient) == "string" and not custos.has(contract.subjects, recipient)
         and recipient_org ~= nil
         and (recipient_org == req.subject.org or recipient_org == contract.contractor) then
        return deny("shared-with-other-staff", { recipient = recipient, contract = id })
      end
    end

    if action == "delete" then
      return permit("limited-personnel-delete", { subject = subject, contract = id }, LOG)
    end
    local important = confidentiality_measures.importance(req)
    if important ~= nil then
      return permit("important-information", { subject = subject, contract = id, why = important },
                    ENCRYPT_LOG_AND_BACKUP)
    end
    return permit("limited-personnel", { subject = subject, contract = id }, LOG_AND_BACKUP)
  end,
}
