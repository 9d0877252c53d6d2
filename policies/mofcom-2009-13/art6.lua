-- policies/mofcom-2009-13/art6.lua — 商务部、工业和信息化部令2009年第13号 第六条: the contractor
-- secures the information by confidentiality and non-compete agreements with its staff,
-- especially the people who handle secrets, and by confidentiality agreements with third-party
-- people who handle secrets.  Guangzhou implements it as gz-2012 art. 5.
--
-- Text: the copy used had only a machine translation, and the order's Chinese text of this article
-- was not found in any source searched.  text.zh therefore says that the original is not
-- included (原文未收录) instead of guessing it — gz-2012 art. 5 likely repeats it, but that
-- cannot be confirmed — and text.en quotes that English as is, followed by our reading of it
-- ("contract issuer" there renders 接包方, the contractor).
--
-- Reading (the same as gz-2012/art5.lua):
--  - Applies to confidential information under art. 3 (lib/confidential.lua, which art3.lua
--    uses too), to every act on it, deleting included.
--  - The subject is the person acting, staff or third party (subject.role): without a
--    confidentiality agreement — subject.signed_confidentiality false, or absent (not shown)
--    — deny, with different codes for the two.  No subject: deny.
--  - A signed agreement is a precondition met, not an authority: not_applicable
--    ("agreement-signed").  Non-compete agreements are not checked (no request field
--    describes them, and they do not condition access).

local confidential = require "confidential"
local confidentiality_agreement = require "confidentiality_agreement"

return article {
  number = "6",
  text = {
    zh = "（原文未收录：见商务部、工业和信息化部令2009年第13号第六条）",
    en = "[Article 6 in an English machine translation, quoted as is:] \"Sixth contract issuer "
      .. "shall be agreed with the staff, especially confidential personnel sign "
      .. "confidentiality agreements, noncompetition agreements, as well as with third parties "
      .. "confidential personnel sign confidentiality agreements and other measures to ensure "
      .. "information security.\"\n\n"
      .. "[Our reading:] The contractor shall ensure information security by measures such as "
      .. "signing confidentiality agreements and non-compete agreements with its staff, in "
      .. "particular with the people who handle secrets, and confidentiality agreements with "
      .. "third-party people who handle secrets.",
  },
  citation = "商务部、工业和信息化部令2009年第13号 第六条",
  messages = custos.messages(confidentiality_agreement.MESSAGES, confidential.MISSING_MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,不是保密信息,第六条不适用。",
      en = "The data was not entrusted by an employer, so it is not confidential "
        .. "information; article 6 does not apply.",
    },
    ["not-protected"] = {
      zh = "发包方未对该资料采取保密措施,或该资料已为公众知悉(或请求未说明),不符合第三条第(二)项,不是保密信息,第六条不适用。",
      en = "The employer's confidentiality measures are not shown, or the data is public, so "
        .. "condition 2 of article 3 fails: it is not confidential information and article "
        .. "6 does not apply.",
    },
    ["no-confidentiality-duty"] = {
      zh = "合同约定接包方不承担保密义务,不符合第三条第(三)项,该资料不是保密信息,第六条不适用。",
      en = "The contract does not bind the contractor to confidentiality (condition 3 of "
        .. "article 3), so the data is not confidential information; article 6 does not "
        .. "apply.",
    },
  }),
  rule = function(req, data)
    local excluded, missing, params = confidential.not_confidential(req, data)
    if excluded ~= nil then
      if missing then return deny(excluded, params) end -- a missing fact: no silent gap
      return not_applicable(excluded)
    end
    return confidentiality_agreement.judge(req)
  end,
}
