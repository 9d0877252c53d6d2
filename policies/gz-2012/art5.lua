-- policies/gz-2012/art5.lua — 穗外经贸法〔2012〕7号 第五条: the contractor secures the
-- information by confidentiality agreements (and non-compete agreements) with its staff,
-- above all the people who handle secrets, and by confidentiality agreements with third-party
-- people who handle secrets.  Implements 商务部、工业和信息化部令2009年第13号 第六条.
--
-- Reading:
--  - The people the article means are 涉密人员 / 涉密的第三方人员: whoever touches the
--    confidential information.  So it applies when the data is confidential information under
--    art. 3 (lib/confidential.lua, which art3.lua uses too, reads the three conditions), to
--    every act on it — deleting included, since the person deleting handles the information
--    too.
--  - The request's subject is the person acting, staff or third party alike (subject.role
--    names which; the article asks both for a confidentiality agreement).  Someone without a
--    confidentiality agreement may not touch confidential information: deny when
--    subject.signed_confidentiality is false, and also when it is absent — an agreement not
--    shown is not an agreement the contractor can rely on.  The two get different codes so a
--    host can tell "refused to sign" from "did not say".
--  - The article is a precondition, not an authority: a signed agreement does not by itself
--    allow the act, so the verdict is then not_applicable ("agreement-signed") and the other
--    articles decide.
--  - Non-compete agreements (竞业禁止协议) concern what the person does after leaving; no
--    request field describes them and the article does not make them a condition of access.
--    They are not checked.

local confidential = require "confidential"
local confidentiality_agreement = require "confidentiality_agreement"

return article {
  number = "5",
  text = {
    zh = "第五条 接包方应通过与员工,特别是涉密人员签订保密协议、竞业禁止协议,以及与涉密的第三方人员签订保密协议等措施确保信息安全。",
    en = "Article 5  The contractor shall ensure information security by measures such as "
      .. "signing confidentiality agreements and non-compete agreements with its staff, in "
      .. "particular with the people who handle secrets, and confidentiality agreements with "
      .. "third-party people who handle secrets.",
  },
  citation = "穗外经贸法〔2012〕7号 第五条",
  implements = { { regime = "mofcom-2009-13", article = "6" } },
  messages = custos.messages(confidentiality_agreement.MESSAGES, confidential.MISSING_MESSAGES, {
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
