-- policies/gz-2012/art13.lua — 穗外经贸法〔2012〕7号 第十三条: the contractor must not use
-- entrusted commercial and personal data for promotion, sale, disclosure and the like.
--
-- Reading:
--  - Applies to entrusted data only ("受委托的商业及个人资料"); the category field is not
--    required — the employer's entrusted business data is read as its commercial data.
--  - The article forbids; it never permits.  When the act is not forbidden the verdict is
--    not_applicable, and the other articles decide.
--  - The acts sell, promote and disclose are forbidden outright.
--  - "利用……开展促销、出售" also catches an ordinary act (use, process, copy, ...) done for a
--    promotional or sales purpose: the purposes in PROMOTIONAL_PURPOSES below are denied
--    whatever the act (except deletion, which exploits nothing).
--  - Unlike art. 11, the article has no "unless the employer consents": consent does not
--    lift it, and the rule never reads context.consent.
--  - "等" (and the like) is open-ended; the fixed sets below are the cases a program can
--    recognise by name.  Hosts should map their own act and purpose names onto them.

-- The forbidden acts, with the article's own word for each and an English one (messages).
local FORBIDDEN_ZH = { sell = "出售", promote = "促销", disclose = "披露" }
local FORBIDDEN_EN = { sell = "sell", promote = "promote", disclose = "disclose" }

-- Purposes that are promotion or sale under another name.
local PROMOTIONAL_PURPOSES = {
  marketing = true, promotion = true, advertising = true, ["direct-marketing"] = true,
  telemarketing = true, ["cross-selling"] = true, resale = true, sale = true,
  ["data-sale"] = true,
}

return article {
  number = "13",
  title = {
    zh = "不得利用受委托资料促销、出售和披露",
    en = "No promotion, sale or disclosure using entrusted data",
  },
  text = {
    -- Quoted byte for byte from the notice as published, including the no-break space
    -- (U+00A0) after the article number and the ASCII commas of the published page.
    zh = "第十三条  接包企业不得利用受委托的商业及个人资料开展促销、出售和披露等。",
    en = "Article 13  The contracting enterprise shall not use the commercial and personal "
      .. "data entrusted to it for promotion, sale, disclosure or the like.",
  },
  citation = "穗外经贸法〔2012〕7号 第十三条",
  messages = {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,第十三条不适用。",
      en = "The data was not entrusted by an employer; article 13 does not apply.",
    },
    ["not-forbidden"] = {
      zh = "该行为不是促销、出售或披露,第十三条不禁止。",
      en = "The act is not promotion, sale or disclosure; article 13 does not forbid it.",
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
  },
  rule = function(req, data) -- luacheck: ignore data
    if req.resource.entrusted ~= true then return not_applicable("not-entrusted") end
    local action = req.action
    local act_zh = action ~= nil and FORBIDDEN_ZH[action] or nil
    if act_zh ~= nil then
      return deny("forbidden-act",
                  { action = action, act_zh = act_zh, act_en = FORBIDDEN_EN[action] })
    end
    local purpose = req.purpose
    if purpose ~= nil and action ~= "delete" and PROMOTIONAL_PURPOSES[purpose] then
      return deny("promotional-purpose", { purpose = purpose })
    end
    return not_applicable("not-forbidden")
  end,
}
