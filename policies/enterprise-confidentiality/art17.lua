-- policies/enterprise-confidentiality/art17.lua — 服務信息保密管理制度 第17條 (保密措施 ·
-- 信息訪問控制 第3項): dual authorization for highly sensitive information.
--
-- Reading:
--  1. 「高敏感信息」: the document does not define it, but its classification (article 5) ranks
--     information 「根據服務信息的敏感程度和重要性」 into three levels and calls only the lowest
--     「一般的服務相關信息」 (秘密: ordinary service information); 絕密 (「公司最為核心的機密信息」)
--     and 機密 (「重要客戶資料、關鍵服務流程等」, whose leak 「會對公司業務產生較大負面影響」) are
--     the ones of high sensitivity.  So both top_secret and secret information need dual
--     authorization; confidential (秘密) and public information do not.  (Decided against the
--     earlier reading, top secret only, which the text does not state.)  Applies to every
--     act on such information (an access to it in any form), not to a change of access level
--     (article 34).
--  2. 「兩人同時在場並輸入各自的授權信息」: a second person must authorise the same access.  The
--     request lists the further people authorising it in context.approvals.  The second person
--     must be
--       - a different person from the subject (one person cannot be both: 「兩人」), and
--       - authorised for this information themselves: 「各自的授權信息」 is each one's own
--         authorization to access it, which under article 15 is an access level at or above
--         the information's, per the company's register (data section `subjects`).  The text
--         asks no more — not a top-secret level for secret information (decided against the
--         earlier reading, which always asked for top secret).  A person the register does
--         not list is not shown to be authorised; a register that is not loaded cannot show
--         anyone is: deny (fail closed).
--     Whether the subject holds the level is article 15's question, not this one's.
--  3. The first approver in the list who qualifies is named; the permit carries the
--     obligation dual-authorization {approver}: the host must have that person present and
--     entering their own credentials at the same time before it grants the access.  When no
--     approver qualifies, the deny names the first one listed and why they do not.

local levels = require "levels"

-- The levels of 高敏感信息 (point 1).
local HIGHLY_SENSITIVE = { top_secret = true, secret = true }

return article {
  number = "17",
  text = {
    zh = "3.對(duì)于高敏感信息的訪問,應(yīng)采用雙人授權(quán)制度,即兩人同時(shí)在場(chǎng)并輸入各自的授權(quán)信息才能訪問,確保信息訪問的安全性。",
    en = "3. Access to highly sensitive information shall follow a dual authorization system: "
      .. "two persons are present at the same time and each enters their own authorization "
      .. "before the information can be accessed, to keep access to it secure.",
  },
  citation = "服務信息保密管理制度 第17條(保密措施·信息訪問控制 第3項)",
  obligations = { "dual-authorization" },
  messages = {
    ["not-an-access"] = {
      zh = "变更访问级别不是对信息的访问,第17条不适用。",
      en = "Changing an access level is not an access to information; article 17 does not apply.",
    },
    ["not-top-secret"] = {
      zh = "该信息不是绝密级或机密级(高敏感)信息,无需双人授权。",
      en = "The information is neither top secret nor secret (highly sensitive); no dual "
        .. "authorization is needed.",
    },
    ["no-second-person"] = {
      zh = "访问{level_zh}级(高敏感)信息须双人授权,但请求中没有第二名授权人(context.approvals)。",
      en = "Access to {level_en} (highly sensitive) information needs dual authorization, but "
        .. "the request names no second authorizing person (context.approvals).",
    },
    ["no-register"] = {
      zh = "未加载人员登记(subjects),无法确认授权人「{approver}」具有{level_zh}级或以上的访问级别,故不得访问。",
      en = "No register of people (subjects) is loaded, so approver \"{approver}\" cannot be "
        .. "shown to hold {level_en} access or higher; access is refused.",
    },
    ["self-approval"] = {
      zh = "「{approver}」就是访问人本人;双人授权须由两名不同的人员各自输入授权信息。",
      en = "\"{approver}\" is the person asking; dual authorization needs two different "
        .. "people, each entering their own authorization.",
    },
    ["approver-unknown"] = {
      zh = "授权人「{approver}」不在人员登记中,无法确认其具有{level_zh}级或以上的访问级别。",
      en = "Approver \"{approver}\" is not in the company's register, so they are not shown to "
        .. "hold {level_en} access or higher.",
    },
    ["approver-not-cleared"] = {
      zh = "授权人「{approver}」的访问级别为{clearance_zh},低于该信息的{level_zh}级,不能作为双人授权的第二人。",
      en = "Approver \"{approver}\" holds {clearance_en} access, below the information's "
        .. "{level_en}, and cannot be the second person of a dual authorization.",
    },
    ["dual-authorized"] = {
      zh = "「{approver}」具有{level_zh}级或以上的访问级别,与「{subject}」共同授权此次访问;两人须同时在场并各自输入授权信息。",
      en = "\"{approver}\", who holds {level_en} access or higher, authorizes this access "
        .. "together with \"{subject}\"; both must be present and each enter their own "
        .. "authorization.",
    },
  },
  rule = function(req, data)
    if req.action == "change-clearance" then return not_applicable("not-an-access") end
    local level = req.resource.classification
    if not HIGHLY_SENSITIVE[level or ""] then return not_applicable("not-top-secret") end
    local level_zh, level_en = levels.ZH[level], levels.EN[level]

    local approvals = req.context.approvals
    if approvals == nil or #approvals == 0 then
      return deny("no-second-person", { level_zh = level_zh, level_en = level_en })
    end

    local subject = req.subject.id
    local register = custos.field(data, "subjects")
    local first_code, first_params
    for _, approver in ipairs(approvals) do
      local code, params
      if subject ~= nil and approver == subject then
        code, params = "self-approval", { approver = approver }
      elseif register == nil then
        code, params = "no-register", { approver = approver, level_zh = level_zh,
                                         level_en = level_en }
      else
        local entry = register[approver]
        if entry == nil then
          code, params = "approver-unknown", { approver = approver, level_zh = level_zh,
                                               level_en = level_en }
        elseif (levels.RANK[entry.clearance or "public"] or 0) < levels.RANK[level] then
          local c = entry.clearance
          code, params = "approver-not-cleared", {
            approver = approver, level_zh = level_zh, level_en = level_en,
            clearance_zh = c == "secret" and "机密" or c == "confidential" and "秘密" or "无(公开)",
            clearance_en = c == "secret" and "secret" or c == "confidential" and "confidential"
              or "no",
          }
        else
          return permit("dual-authorized", { approver = approver, subject = subject or "?",
                                             level_zh = level_zh, level_en = level_en },
                        { { id = "dual-authorization", approver = approver } })
        end
      end
      if first_code == nil then first_code, first_params = code, params end
    end
    return deny(first_code, first_params)
  end,
}
