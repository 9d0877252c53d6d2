-- policies/mofcom-2009-13/art5.lua — 商务部、工业和信息化部令2009年第13号 第五条: an information
-- protection body and reasonable, concrete, effective confidentiality measures: a limited
-- circle of people who handle secrets, technical and physical control of carriers, graded
-- record carriers, encryption or restricted storage of important information, passwords,
-- visitor limits, network security with strict authentication and authorization and complete
-- backup and recovery, and measures the parties agree.  Guangzhou implements it as gz-2012
-- art. 7.
--
-- Text: the copy used had only a machine translation.  text.zh quotes what could be sourced: the
-- opening and items (一)-(三), from the ministry's text reproduced by big5.taiwan.cn
-- (2010-01-22, "来源:商务部网站", traditional characters, with 信息 localised as 資訊),
-- written here in simplified characters with 信息 as the mainland reprints have it
-- (cn.chinagate.cn gives the same opening "第五条接包方应成立信息").  Items (四)-(八) were not
-- found in Chinese: text.zh marks them as not included rather than guess, and text.en gives
-- those items in that machine translation, quoted as is.
--
-- Reading (the same as gz-2012/art7.lua, without Guangzhou's additions):
--  1. The measures protect confidential information under art. 3 (lib/confidential.lua,
--     which art3.lua uses too).  Otherwise not applicable.
--  2. Item (一), the limited circle: the people the contract names (`subjects`).  The contract
--     is needed (none or unknown: deny); a contract naming nobody leaves the circle unlimited
--     (deny, "personnel-not-limited"); no subject, or one outside the circle: deny.  (The
--     national item says nothing about communication with other staff — gz art. 7 (一) adds
--     that — so no recipient is checked here.)
--  3. Otherwise permit, with obligations:
--     - "log-access": item (七), a strict authentication and authorization system;
--     - "backup": item (七), complete system backup and recovery (not for a delete: backing
--       up data being deleted would defeat the deletion);
--     - "encrypt-at-rest" (alternative restricted storage) when the information is important,
--       item (四): recipes (配方) and procedures are technical information, so category
--       "technical"; "and other important information" read as classification secret or
--       top_secret, or the custom field resource.important = true.
--     Items (二), (三), (五), (六), (八) are standing organisational measures with no
--     per-request question.

-- The obligations of a permit, built once (never modified): deciding allocates no list.
local LOG = { "log-access" }
local LOG_AND_BACKUP = { "log-access", "backup" }
local ENCRYPT_LOG_AND_BACKUP = { { id = "encrypt-at-rest", alternative = "restricted-storage" },
                                 "log-access", "backup" }

local confidential = require "confidential"
local confidentiality_measures = require "confidentiality_measures"

return article {
  number = "5",
  text = {
    zh = "第五条接包方应成立信息保护机构或指定专职人员负责制定本企业的信息保护规章制度,对保密信息采取合理的、具体的、有效的保密措施,包括:\n\n(一)限定涉密人员的范围;\n\n(二)对保密信息载体及其存储场所采取技术物理控制,以避免信息被他人不当访问或获取;\n\n(三)对保密信息的记录载体进行分级管理;\n\n（第(四)项至第(八)项原文未收录：见商务部、工业和信息化部令2009年第13号第五条）",
    en = "Article 5  The contractor shall set up an information protection body, or designate "
      .. "full-time staff, responsible for making the enterprise's information protection "
      .. "rules, and shall take reasonable, concrete and effective confidentiality measures for "
      .. "confidential information, including:\n\n"
      .. "(1) limiting the range of people who handle secrets;\n\n"
      .. "(2) applying technical and physical controls to the carriers of confidential "
      .. "information and the places they are stored, so that the information is not "
      .. "improperly accessed or obtained by others;\n\n"
      .. "(3) managing the record carriers of confidential information by grades;\n\n"
      .. "[Items (4) to (8), whose Chinese text is not included, in an English machine "
      .. "translation, quoted as is:] \"(D) contents of recipes and procedures, and other "
      .. "important information encrypted or stored in restricted areas; (E) confidential "
      .. "information using a password; (Vi) contains confidential information workshop, "
      .. "workshops, offices and other places restrictions on visitors or their "
      .. "confidentiality requirements; (VII) the computer to establish an effective network "
      .. "for confidential information-management and data-protection measures, establish a "
      .. "strict authentication and authorization system, a complete system backup and "
      .. "recovery tools, upgrading security patches and virus definitions on a regular "
      .. "basis; (H) other measures stipulated in the contract issuer and employer.\"",
  },
  citation = "商务部、工业和信息化部令2009年第13号 第五条",
  obligations = { "log-access", "backup", "encrypt-at-rest" },
  messages = custos.messages(confidentiality_measures.MESSAGES, confidential.MISSING_MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,不是保密信息,第五条不适用。",
      en = "The data was not entrusted by an employer, so it is not confidential "
        .. "information; article 5 does not apply.",
    },
    ["not-protected"] = {
      zh = "发包方未对该资料采取保密措施,或该资料已为公众知悉(或请求未说明),不符合第三条第(二)项,不是保密信息,第五条不适用。",
      en = "The employer's confidentiality measures are not shown, or the data is public, so "
        .. "condition 2 of article 3 fails: it is not confidential information and article "
        .. "5 does not apply.",
    },
    ["no-confidentiality-duty"] = {
      zh = "合同约定接包方不承担保密义务,不符合第三条第(三)项,该资料不是保密信息,第五条不适用。",
      en = "The contract does not bind the contractor to confidentiality (condition 3 of "
        .. "article 3), so the data is not confidential information; article 5 does not "
        .. "apply.",
    },
    ["personnel-not-limited"] = {
      zh = "合同「{contract}」没有限定涉密人员的范围;接包方应限定涉密人员的范围,故任何人均不得接触该保密信息。",
      en = "Contract \"{contract}\" does not limit who may handle the secrets; the contractor "
        .. "must limit that circle, so no one may handle this confidential information.",
    },
    ["limited-personnel"] = {
      zh = "「{subject}」在合同「{contract}」限定的涉密人员范围内;访问应经严格的身份认证和授权并记录,系统应备份。",
      en = "\"{subject}\" is within the circle of people contract \"{contract}\" allows to "
        .. "handle the secrets; the access must be strictly authenticated, authorized and "
        .. "logged, and the system backed up.",
    },
    ["limited-personnel-delete"] = {
      zh = "「{subject}」在合同「{contract}」限定的涉密人员范围内;删除应经身份认证和授权并记录。",
      en = "\"{subject}\" is within the circle of people contract \"{contract}\" allows to "
        .. "handle the secrets; the deletion must be authenticated, authorized and logged.",
    },
    ["important-information"] = {
      zh = "「{subject}」在合同「{contract}」限定的涉密人员范围内;该资料属于重要信息({why}),应加密保存或保存于受限区域,访问应经严格的身份认证和授权并记录,系统应备份。",
      en = "\"{subject}\" is within the circle of people contract \"{contract}\" allows to "
        .. "handle the secrets; the data is important information ({why}), so it must be kept "
        .. "encrypted or in a restricted area, the access strictly authenticated, authorized "
        .. "and logged, and the system backed up.",
    },
  }),
  rule = function(req, data)
    local excluded, missing, params = confidential.not_confidential(req, data)
    if excluded ~= nil then
      if missing then return deny(excluded, params) end -- a missing fact: no silent gap
      return not_applicable(excluded)
    end

    local _, subject, code, params = confidentiality_measures.circle_member(req, data)
    if subject == nil then return deny(code, params) end
    local id = req.resource.contract

    if req.action == "delete" then
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
