-- policies/gz-2012/art13.lua — 穗外经贸法〔2012〕7号 第十三条: the contractor must not use
-- entrusted commercial and personal data for promotion, sale, disclosure and the like.
--
-- Reading:
--  - Applies to entrusted data only ("受委托的商业及个人资料"); the category field is not
--    required — the employer's entrusted business data is read as its commercial data.
--  - The article forbids; it never permits.  When the act is not forbidden the verdict is
--    not_applicable, and the other articles decide.
--  - 「开展促销、出售和披露等」: the 「等」 makes the list open, so an act is judged by what it
--    does, not by what the host calls it.  What each act does is declared once, in
--    lib/actions.lua (or the data's `actions`): use, store, hand-over to a recipient, delete,
--    return.  A request with no action, or an act no declaration covers, cannot be shown to
--    be outside the prohibition: deny ("no-action", "undeclared-action"), naming it.
--  - 出售 and 促销 are forbidden by their nature: an act declared to be a sale or promotion
--    (sell, promote) is denied whoever receives the data — the employer included ("forbidden-
--    act").  "利用……开展促销、出售" also catches an ordinary act done for a promotional or sales
--    purpose (PROMOTIONAL_PURPOSES below), whatever the act except deleting or returning the
--    data, which exploit nothing ("promotional-purpose").
--  - 披露 and its like (the 「等」): any act that hands the data to someone (kind "handover":
--    disclose, transfer, share, provide, export, ...) is a disclosure unless the recipient is
--    within the contract's circle: the employer itself (the contract's `employer`, the
--    resource's `owner`), a party the contract names as a recipient (`recipients`, e.g. the
--    employer's auditor), or the people the contract names (`subjects`).  The request names
--    the recipient in context.recipient; a hand-over without one, or under a contract that
--    cannot be read (so the circle is unknown) to anyone but the owner, is denied; one
--    outside the circle is denied ("disclosure-outside-contract").  Handing the data to the
--    employer or its named auditor is not a disclosure: not applicable, whatever the verb.
--  - Deleting or returning the data to the employer ends the contractor's holding: not
--    applicable.  A return that names a recipient other than the employer is a hand-over,
--    judged as above.
--  - Unlike art. 11, the article has no "unless the employer consents": consent does not
--    lift it, and the rule never reads context.consent.

local entrustment = require "entrustment"
local actions = require "actions"
local contracts = require "contracts"

-- What the article calls a sale and a promotion (the declared purpose of an act), with the
-- article's own word and an English one (messages).
local FORBIDDEN_ZH = { sale = "出售", promotion = "促销" }
local FORBIDDEN_EN = { sale = "sell", promotion = "promote with" }

-- Purposes that are promotion or sale under another name.
local PROMOTIONAL_PURPOSES = {
  marketing = true, promotion = true, advertising = true, ["direct-marketing"] = true,
  telemarketing = true, ["cross-selling"] = true, resale = true, sale = true,
  ["data-sale"] = true,
}

return article {
  number = "13",
  text = {
    -- Quoted byte for byte from the notice as published, including the no-break space
    -- (U+00A0) after the article number and the ASCII commas of the published page.
    zh = "第十三条  接包企业不得利用受委托的商业及个人资料开展促销、出售和披露等。",
    en = "Article 13  The contracting enterprise shall not use the commercial and personal "
      .. "data entrusted to it for promotion, sale, disclosure or the like.",
  },
  citation = "穗外经贸法〔2012〕7号 第十三条",
  messages = custos.messages(entrustment.MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,第十三条不适用。",
      en = "The data was not entrusted by an employer; article 13 does not apply.",
    },
    ["not-forbidden"] = {
      zh = "该行为不是促销、出售或披露,第十三条不禁止。",
      en = "The act is not promotion, sale or disclosure; article 13 does not forbid it.",
    },
    ["ends-holding"] = {
      zh = "「{action}」是删除资料或将资料归还发包方,不是促销、出售或披露,第十三条不禁止。",
      en = "\"{action}\" deletes the data or returns it to the employer; it is not promotion, "
        .. "sale or disclosure, and article 13 does not forbid it.",
    },
    ["handover-within-contract"] = {
      zh = "「{action}」将资料交给「{recipient}」,是发包方本身或合同「{contract}」约定的接收方或人员,不是向他人披露,第十三条不禁止。",
      en = "\"{action}\" hands the data to \"{recipient}\", the employer itself or a recipient or "
        .. "person contract \"{contract}\" names; that is no disclosure to others, and "
        .. "article 13 does not forbid it.",
    },
    ["no-action"] = {
      zh = "请求未指明行为,无法确认其不是促销、出售或披露等。",
      en = "The request names no act, so it cannot be shown not to be promotion, sale, "
        .. "disclosure or the like.",
    },
    ["undeclared-action"] = {
      zh = "未声明「{action}」这一行为的作用(使用、保存、交给他人、删除或归还),无法确认其不是促销、出售或披露等,予以拒绝。",
      en = "What \"{action}\" does (use, keep, hand over, delete or return the data) is not "
        .. "declared, so it cannot be shown not to be promotion, sale, disclosure or the like; "
        .. "refused.",
    },
    ["no-recipient"] = {
      zh = "「{action}」会将受委托资料交给他人,但请求未指明接收方(context.recipient),无法确认不是披露。",
      en = "\"{action}\" hands the entrusted data to someone, but the request names no "
        .. "recipient (context.recipient), so it cannot be shown not to be a disclosure.",
    },
    ["no-contract"] = {
      zh = "「{action}」将资料交给「{recipient}」,但请求未指明合同,无法确认接收方在合同约定的范围内,按披露处理。",
      en = "\"{action}\" hands the data to \"{recipient}\", but the request names no contract, "
        .. "so the recipient cannot be shown to be within it; treated as a disclosure.",
    },
    ["unknown-contract"] = {
      zh = "「{action}」将资料交给「{recipient}」,但找不到合同「{contract}」,无法确认接收方在合同约定的范围内,按披露处理。",
      en = "\"{action}\" hands the data to \"{recipient}\", but no contract \"{contract}\" is "
        .. "known, so the recipient cannot be shown to be within it; treated as a disclosure.",
    },
    ["disclosure-outside-contract"] = {
      zh = "「{action}」将受委托资料交给「{recipient}」,其既不是发包方,也不是合同「{contract}」约定的接收方或人员,属于披露;接包企业不得利用受委托的商业及个人资料开展披露等,即使发包方同意也不例外。",
      en = "\"{action}\" hands the entrusted data to \"{recipient}\", who is neither the "
        .. "employer nor a recipient or person contract \"{contract}\" names: a disclosure, "
        .. "which the contractor may not make of entrusted commercial and personal data, even "
        .. "with the employer's consent.",
    },
    ["forbidden-act"] = {
      zh = "接包企业不得利用受委托的商业及个人资料开展{act_zh}(「{action}」);即使发包方同意也不例外。",
      en = "The contractor may not {act_en} entrusted commercial and personal data (action "
        .. "\"{action}\"); promotion, sale and disclosure are forbidden even with the "
        .. "employer's consent.",
    },
    ["promotional-purpose"] = {
      zh = "用途「{purpose}」属于促销或出售,接包企业不得利用受委托的商业及个人资料开展促销、出售;即使发包方同意也不例外。",
      en = "The purpose \"{purpose}\" is promotion or sale, for which the contractor may not "
        .. "use entrusted commercial and personal data, even with the employer's consent.",
    },
  }),
  rule = function(req, data)
    local resource = req.resource
    local entrusted = entrustment.entrusted(req, data)
    if entrusted == nil then
      return deny("entrustment-unknown", { contract = req.resource.contract })
    end
    if not entrusted then return not_applicable("not-entrusted") end
    local action = req.action
    if action == nil then return deny("no-action") end
    local declared = actions.declared(action, data)
    if declared == nil then return deny("undeclared-action", { action = action }) end
    local kind = declared.kind

    local act_zh = FORBIDDEN_ZH[declared.purpose or ""]
    if act_zh ~= nil then
      return deny("forbidden-act",
                  { action = action, act_zh = act_zh, act_en = FORBIDDEN_EN[declared.purpose] })
    end

    local recipient = req.context.recipient
    if kind == "delete" or (kind == "return" and recipient == nil) then
      return not_applicable("ends-holding", { action = action })
    end
    local purpose = req.purpose
    if purpose ~= nil and PROMOTIONAL_PURPOSES[purpose] then
      return deny("promotional-purpose", { purpose = purpose })
    end
    if kind ~= "handover" and kind ~= "return" then return not_applicable("not-forbidden") end

    if recipient == nil or recipient == "" then
      return deny("no-recipient", { action = action })
    end
    local contract
    if recipient ~= resource.owner then
      local why
      contract, why = contracts.find(req, data)
      if contract == nil then
        return deny(why, { action = action, recipient = recipient, contract = resource.contract })
      end
    end
    if not actions.within_circle(recipient, contract, req) then
      return deny("disclosure-outside-contract",
                  { action = action, recipient = recipient, contract = resource.contract })
    end
    return not_applicable("handover-within-contract",
                          { action = action, recipient = recipient,
                            contract = resource.contract or "?" })
  end,
}
