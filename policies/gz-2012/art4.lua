-- policies/gz-2012/art4.lua — 穗外经贸法〔2012〕7号 第四条: the contractor and its shareholders,
-- directors, supervisors, managers and staff must not, against the outsourcing contract,
-- disclose, use or let others use the employer's confidential information they hold.
-- Implements 商务部、工业和信息化部令2009年第13号 第四条 word for word.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. Only confidential information (保密信息) is protected here: the three conditions of
--     art. 3, applied as art3.lua reads them (both use lib/confidential.lua).
--     Not applicable, with the code of the condition that fails: "not-entrusted" (一),
--     "not-protected" (二: not protected by the employer, not shown to be, or public),
--     "no-confidentiality-duty" (三).
--  2. The article forbids; it never permits (like art. 13).  When nothing is done against
--     the contract the verdict is not_applicable ("not-against-contract") and arts. 10-12
--     decide whether the act is allowed.
--  3. Deleting discloses and uses nothing: not applicable (arts. 10 and 12 govern deletion).
--  4. "违反服务外包合同的约定" is judged against the contract, so the contract is needed: a
--     request naming none, or one the data does not hold, is denied (fail closed).
--  5. Using: the person acting must be one the contract names (`subjects`) — the article
--     binds the contractor *and* each of its people, and a person the contract does not name
--     using the information is the contractor "letting others use" it.  An act the contract
--     does not list (`actions`) is a use against the contract.  A request without a subject
--     or an action cannot be shown to be within the contract: deny.  Where the contract is
--     silent (no `subjects` / no `actions`) there is no agreement to act against: this
--     article says nothing, and art. 10 ¶2 (the protective principle) refuses the act.
--  6. Disclosing or letting others use: an act that hands the information to someone else
--     (DISCLOSING in lib/contract_use.lua: disclose, transfer, share, provide, export, sell)
--     must name its recipient in the custom request field `context.recipient`; it must be the
--     employer itself (the contract's `employer` or the resource's `owner`), a party the
--     contract lists in `recipients` (a contract field this regime declares), or one of the
--     people the contract names (`subjects`: passing it within the agreed circle discloses
--     nothing to "others").  Otherwise deny.
--     Art. 13 still forbids disclosure and sale of entrusted data outright; this article only
--     adds that no handing-over outside the contract is allowed either.

local confidential = require "confidential"
local contract_use = require "contract_use"

return article {
  number = "4",
  title = {
    zh = "不得违约披露、使用保密信息",
    en = "No disclosure or use of confidential information against the contract",
  },
  text = {
    zh = "第四条 接包方及其股东、董事、监事、经理和员工不得违反服务外包合同的约定,披露、使用或者允许他人使用其所掌握的发包方的保密信息。",
    en = "Article 4  The contractor and its shareholders, directors, supervisors, managers and "
      .. "staff shall not, in breach of the service outsourcing contract, disclose, use or "
      .. "allow others to use the employer's confidential information in their possession.",
  },
  citation = "穗外经贸法〔2012〕7号 第四条",
  implements = { { regime = "mofcom-2009-13", article = "4" } },
  messages = {
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
    ["contract-silent"] = {
      zh = "合同「{contract}」未约定使用主体或使用方式,无从认定违反约定;由第十条(有利于保护保密信息的原则)判断。",
      en = "Contract \"{contract}\" does not say who may use the information or how, so no "
        .. "breach of its terms can be found; article 10 (the protective principle) decides.",
    },
  },
  rule = function(req, data)
    local excluded = confidential.not_confidential(req, data)
    if excluded ~= nil then return not_applicable(excluded) end
    if req.action == "delete" then return not_applicable("deletion") end
    return contract_use.judge(req, data) -- steps 4-6: lib/contract_use.lua
  end,
}
