-- policies/gz-2012/art11.lua — 穗外经贸法〔2012〕7号 第十一条: purpose limitation.  Unless the
-- employer consents, entrusted commercial and personal data may be used only for the purpose
-- stated at entrustment or a purpose directly related to it.
--
-- Reading:
--  - Applies to entrusted data only.  It limits what the data is *used for*; deleting the
--    data, or returning it to the employer (its owner), uses it for nothing, so a delete or a
--    return is not applicable here (arts. 10 and 12 govern them).
--  - A request without a purpose cannot be shown to serve a stated one: deny.  So does a
--    request whose contract is missing or unknown (the stated purposes live in the contract).
--  - "委托时述明的用途" are the contract's `purposes`.  "与其直接相关的用途" is one step: a
--    purpose the contract's `related_purposes[stated]` or the purpose catalogue's
--    `purposes[stated].related` declares.  A purpose related only to a related purpose is not
--    directly related to what was stated, so it is denied unless consented.
--  - "除非获得发包方同意": a purpose listed in the employer's consent
--    (context.consent.purposes) is permitted by this article.  The article does not ask for
--    writing, so `written` is not required here.  Consent never lifts art. 13.
--  - Whose consent: 「发包方同意」 is the employer's, and only the employer's.  The consent must
--    say who gave it (context.consent.by) and that must be the contract's `employer` (or, when
--    the contract names none, the resource's `owner`).  A consent the contractor gives itself
--    (by: acme-outsourcing), or a third party's, lifts nothing: deny "consent-not-by-employer".
--    A consent that does not name its giver cannot be shown to be the employer's: deny
--    "consent-giver-unstated" (fail closed, naming the missing fact); so is one under a
--    contract and resource that name no employer ("employer-unknown").
--  - A contract that states no purpose at all leaves nothing to use the data for without
--    consent: deny, with its own code so the host can see the contract is the problem.

local entrustment = require "entrustment"
local acts = require "actions"
local contracts = require "contracts"
local purposes = require "purposes"

return article {
  number = "11",
  text = {
    zh = "第十一条 接包方对受委托的商业和个人资料的处理,除非获得发包方同意,受委托的商业和个人资料只可用于委托时述明的用途或与其直接相关的用途。",
    en = "Article 11  In handling the commercial and personal data entrusted to it, the "
      .. "contractor may, unless the employer consents, use that data only for the purpose "
      .. "stated at the time of entrustment or for a purpose directly related to it.",
  },
  citation = "穗外经贸法〔2012〕7号 第十一条",
  messages = custos.messages(entrustment.MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,第十一条不适用。",
      en = "The data was not entrusted by an employer; article 11 does not apply.",
    },
    ["deletion"] = {
      zh = "删除资料不是将资料用于某一用途,第十一条不适用。",
      en = "Deleting the data does not use it for any purpose; article 11 does not apply.",
    },
    ["return"] = {
      zh = "将资料归还发包方不是将资料用于某一用途,第十一条不适用。",
      en = "Returning the data to the employer does not use it for any purpose; article 11 does "
        .. "not apply.",
    },
    ["no-purpose"] = {
      zh = "请求未说明资料的用途;受委托的资料只可用于委托时述明的用途或与其直接相关的用途。",
      en = "The request states no purpose; entrusted data may be used only for the purpose "
        .. "stated at entrustment or a directly related one.",
    },
    ["no-contract"] = {
      zh = "请求未指明委托资料所依据的合同,无法确认委托时述明的用途。",
      en = "The request names no contract, so the purposes stated at entrustment cannot be "
        .. "known.",
    },
    ["unknown-contract"] = {
      zh = "找不到合同「{contract}」,无法确认委托时述明的用途。",
      en = "No contract \"{contract}\" is known, so the purposes stated at entrustment cannot "
        .. "be known.",
    },
    ["stated-purpose"] = {
      zh = "用途「{purpose}」是合同「{contract}」委托时述明的用途。",
      en = "The purpose \"{purpose}\" was stated at entrustment in contract \"{contract}\".",
    },
    ["related-purpose"] = {
      zh = "用途「{purpose}」与合同「{contract}」委托时述明的用途「{stated}」直接相关。",
      en = "The purpose \"{purpose}\" is directly related to \"{stated}\", a purpose stated "
        .. "at entrustment in contract \"{contract}\".",
    },
    ["narrower-purpose"] = {
      zh = "用途「{purpose}」是合同「{contract}」委托时述明的用途「{stated}」中更具体的一项,属于述明的用途。",
      en = "The purpose \"{purpose}\" is a narrower part of \"{stated}\", a purpose stated at "
        .. "entrustment in contract \"{contract}\", and so within it.",
    },
    ["broader-purpose"] = {
      zh = "用途「{purpose}」比合同「{contract}」委托时述明的用途「{stated}」更宽泛,超出了述明的用途,且未获得发包方同意。",
      en = "The purpose \"{purpose}\" is broader than \"{stated}\", the purpose stated at "
        .. "entrustment in contract \"{contract}\": it reaches beyond what was stated, and the "
        .. "employer has not consented to it.",
    },
    ["consent-not-valid"] = {
      zh = "发包方对用途「{purpose}」的同意在此时不在有效期内。",
      en = "The employer's consent to the purpose \"{purpose}\" is not valid at this time "
        .. "(outside its validity window).",
    },
    ["consent-not-by-employer"] = {
      zh = "对用途「{purpose}」的同意由「{by}」作出,不是合同「{contract}」的发包方「{employer}」的同意;只有发包方同意才能扩大用途。",
      en = "The consent to the purpose \"{purpose}\" was given by \"{by}\", not by \"{employer}\", "
        .. "the employer of contract \"{contract}\"; only the employer's consent widens the "
        .. "purposes.",
    },
    ["consent-giver-unstated"] = {
      zh = "对用途「{purpose}」的同意未说明由谁作出(context.consent.by),无法确认是发包方的同意。",
      en = "The consent to the purpose \"{purpose}\" does not say who gave it "
        .. "(context.consent.by), so it cannot be shown to be the employer's.",
    },
    ["employer-unknown"] = {
      zh = "合同「{contract}」和资料均未指明发包方,无法确认对用途「{purpose}」的同意是发包方的同意。",
      en = "Neither contract \"{contract}\" nor the data names the employer, so the consent to "
        .. "the purpose \"{purpose}\" cannot be shown to be the employer's.",
    },
    ["consented-purpose"] = {
      zh = "用途「{purpose}」不是委托时述明的用途,但已获得发包方「{by}」同意。",
      en = "The purpose \"{purpose}\" was not stated at entrustment, but the employer "
        .. "\"{by}\" consented to it.",
    },
    ["no-stated-purpose"] = {
      zh = "合同「{contract}」没有述明任何用途,且发包方未同意用途「{purpose}」。",
      en = "Contract \"{contract}\" states no purpose at all, and the employer has not "
        .. "consented to \"{purpose}\".",
    },
    ["unrelated-purpose"] = {
      zh = "用途「{purpose}」既不是合同「{contract}」委托时述明的用途,也不与其直接相关,且未获得发包方同意。",
      en = "The purpose \"{purpose}\" is neither stated in contract \"{contract}\" nor "
        .. "directly related to a stated purpose, and the employer has not consented to it.",
    },
  }),
  rule = function(req, data)
    local entrusted = entrustment.entrusted(req, data)
    if entrusted == nil then
      return deny("entrustment-unknown", { contract = req.resource.contract })
    end
    if not entrusted then return not_applicable("not-entrusted") end
    local kind = acts.kind(req.action, data)
    if kind == "delete" then return not_applicable("deletion") end
    if kind == "return" and acts.returns_to_employer(req.action, nil, req, data) then
      return not_applicable("return")
    end

    local purpose = req.purpose
    if purpose == nil then return deny("no-purpose") end

    local contract, code, params = contracts.required(req, data)
    if contract == nil then return deny(code, params) end
    local id = req.resource.contract

    local basis, why, stated = purposes.basis(contract, req, data)
    if basis == "stated" then
      return permit("stated-purpose", { purpose = purpose, contract = id })
    elseif basis == "narrower" then
      -- a narrower purpose of a stated one is within what was stated
      return permit("narrower-purpose", { purpose = purpose, stated = why, contract = id })
    elseif basis == "related" then
      stated = why
      -- `stated` names the stated purpose it relates to: the contract's own declaration is
      -- preferred to the catalogue's.
      return permit("related-purpose", { purpose = purpose, stated = stated, contract = id })
    elseif basis == "consented" then
      return permit("consented-purpose",
                    { purpose = purpose, contract = id, by = req.context.consent.by })
    end

    if contract.purposes == nil then
      return deny("no-stated-purpose", { purpose = purpose, contract = id })
    end
    if why == "broader" then
      -- a broader purpose than the stated one reaches beyond what was stated
      return deny("broader-purpose", { purpose = purpose, stated = stated, contract = id })
    elseif why == "consent-not-valid" then
      return deny("consent-not-valid", { purpose = purpose, contract = id })
    elseif why == "consent-not-by-party" then
      return deny("consent-not-by-employer",
                  { purpose = purpose, contract = id, by = stated,
                    employer = contract.employer or req.resource.owner })
    elseif why == "consent-giver-unstated" then
      return deny("consent-giver-unstated", { purpose = purpose })
    elseif why == "consent-party-unknown" then
      return deny("employer-unknown", { purpose = purpose, contract = id })
    end
    return deny("unrelated-purpose", { purpose = purpose, contract = id })
  end,
}
