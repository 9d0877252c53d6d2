-- policies/mofcom-2009-13/art4.lua — 商务部、工业和信息化部令2009年第13号 第四条: the
-- contractor and its shareholders, directors, supervisors, managers and staff must not, against
-- the outsourcing contract, disclose, use or let others use the employer's confidential
-- information they hold.  Guangzhou repeats it word for word as gz-2012 art. 4.
--
-- Text: the copy used had only a machine translation; text.zh is the order's Chinese as reprinted
-- in full by cn.chinagate.cn (2010-02-01), matching the ministry's text reproduced by
-- big5.taiwan.cn and gz-2012 art. 4.
--
-- Reading (the same as gz-2012/art4.lua, step for step):
--
--  1. Only confidential information under art. 3 (lib/confidential.lua, which art3.lua uses
--     too).  Otherwise not applicable, with the failed condition's code:
--     "not-entrusted", "not-protected" or "no-confidentiality-duty".
--  2. The article forbids; it never permits: when nothing is against the contract the verdict
--     is not_applicable ("not-against-contract").
--  3. Deleting discloses and uses nothing: not applicable.
--  4. The contract is needed: none, or an unknown one, is denied (fail closed).
--  5. The person acting must be one the contract names (`subjects`), and the act one it lists
--     (`actions`); no subject or no action cannot be shown within the contract: deny.  A
--     contract silent on subjects or actions has no term to breach: not applicable
--     ("contract-silent").  (The national rule has no counterpart of gz art. 10 ¶2, the
--     protective principle for silent contracts; art. 5's limited circle of personnel still
--     refuses a contract that names nobody.)
--  6. Acts that hand the information to someone else (kind "handover" in lib/actions.lua;
--     an act no declaration covers is refused: "undeclared-action")
--     must name the recipient in the request field `context.recipient`, and it must be the
--     employer (the contract's `employer` or the resource's `owner`), a party the contract
--     lists in `recipients`, or one of the people the contract names (`subjects`).

local confidential = require "confidential"
local contract_use = require "contract_use"

return article {
  number = "4",
  text = {
    zh = "第四条接包方及其股东、董事、监事、经理和员工不得违反服务外包合同的约定,披露、使用或者允许他人使用其所掌握的发包方的保密信息。",
    en = "Article 4  The contractor and its shareholders, directors, supervisors, managers and "
      .. "staff shall not, in breach of the service outsourcing contract, disclose, use or "
      .. "allow others to use the employer's confidential information in their possession.",
  },
  citation = "商务部、工业和信息化部令2009年第13号 第四条",
  messages = custos.messages(contract_use.MESSAGES, confidential.MISSING_MESSAGES, {
    ["contract-silent"] = {
      zh = "合同「{contract}」未约定使用主体或使用方式,无从认定违反合同约定。",
      en = "Contract \"{contract}\" does not say who may use the information or how, so no "
        .. "breach of its terms can be found.",
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
