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
--     (an act whose kind is "handover" in lib/actions.lua: disclose, transfer, share, provide,
--     export, sell, ...; an act no declaration covers is refused, "undeclared-action")
--     must name its recipient in the request field `context.recipient`; it must be the
--     employer itself (the contract's `employer` or the resource's `owner`), a party the
--     contract lists in `recipients` (a contract field policies/schema.lua declares), or one of the
--     people the contract names (`subjects`: passing it within the agreed circle discloses
--     nothing to "others").  Otherwise deny.
--     Art. 13 forbids, for all entrusted data, any sale or promotion and any hand-over outside
--     the same circle; this article says the same of confidential information against the
--     contract.

local confidential = require "confidential"
local contract_use = require "contract_use"

return article {
  number = "4",
  text = {
    zh = "第四条 接包方及其股东、董事、监事、经理和员工不得违反服务外包合同的约定,披露、使用或者允许他人使用其所掌握的发包方的保密信息。",
    en = "Article 4  The contractor and its shareholders, directors, supervisors, managers and "
      .. "staff shall not, in breach of the service outsourcing contract, disclose, use or "
      .. "allow others to use the employer's confidential information in their possession.",
  },
  citation = "穗外经贸法〔2012〕7号 第四条",
  implements = { { regime = "mofcom-2009-13", article = "4" } },
  messages = custos.messages(contract_use.MESSAGES, confidential.MISSING_MESSAGES, {
    ["contract-silent"] = {
      zh = "合同「{contract}」未约定使用主体或使用方式,无从认定违反约定;由第十条(有利于保护保密信息的原则)判断。",
      en = "Contract \"{contract}\" does not say who may use the information or how, so no "
        .. "breach of its terms can be found; article 10 (the protective principle) decides.",
    },
  }),
  rule = function(req, data)
    local excluded, missing, params = confidential.not_confidential(req, data)
    if excluded ~= nil then
      if missing then return deny(excluded, params) end -- a missing fact: no silent gap
      return not_applicable(excluded)
    end
    if req.action == "delete" then return not_applicable("deletion") end
    return contract_use.judge(req, data) -- steps 4-6: lib/contract_use.lua
  end,
}
