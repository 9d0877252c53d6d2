-- policies/enterprise-confidentiality/art15.lua — 服務信息保密管理制度 第15條 (保密措施 ·
-- 信息訪問控制 第1項): access levels; only people authorised for a level may access
-- information of that level.
--
-- The levels are those of 信息分類與標識 第1項 (article 5):
--   "1.公司根據(jù)服務(wù)信息的敏感程度和重要性,將其分為絕密、機(jī)密、秘密三個(gè)等級(jí)。絕密級(jí):是公司最為核心的機(jī)密信息,一旦泄露將給公司或客戶帶來極其嚴(yán)重的損失,如特定的技術(shù)研發(fā)成果、重大商業(yè)決策等。機(jī)密級(jí):此類信息泄露會(huì)對(duì)公司業(yè)務(wù)產(chǎn)生較大負(fù)面影響,包括重要客戶資料、關(guān)鍵服務(wù)流程等。秘密級(jí):一般的服務(wù)相關(guān)信息,泄露后可能在一定程度上影響公司正常運(yùn)營,如一般性客戶聯(lián)系信息、普通業(yè)務(wù)數(shù)據(jù)等。"
-- i.e. 絕密 top_secret > 機密 secret > 秘密 confidential; anything else the company labels
-- public.
--
-- Reading:
--  1. The rule is about information; a change of someone's access level (action
--     "change-clearance") is an act on people, decided by article 34: not applicable.
--  2. It applies to information the host has labelled with a level (resource.classification).
--     Unlabelled information is not applicable: article 6 requires every document to carry its
--     level, and a host adopting this system labels what it protects.  Public information
--     needs no access level: permit.
--  3. The subject's access level: the company's register (data section `subjects`, the levels
--     "設(shè)定" by the company "根據(jù)員工的工作職責(zé)和權(quán)限") is authoritative for a person it lists;
--     the request's subject.clearance can only lower it, never raise it (a stale or forged
--     claim cannot grant more than the company set).  For a person the register does not list
--     (or when no register is loaded), the host's subject.clearance is used.  No level at all:
--     deny.
--  4. "只有經(jīng)過授權(quán)的人員才能訪問相應(yīng)等級(jí)的服務(wù)信息": a level at or above the information's
--     level permits; a lower one denies.  A higher level includes the lower ones (a person
--     cleared for 絕密 may read 秘密).

local levels = require "levels"
local RANK, LEVEL_ZH, LEVEL_EN = levels.RANK, levels.ZH, levels.EN

return article {
  number = "15",
  text = {
    zh = "1.根據(jù)員工的工作職責(zé)和權(quán)限,設(shè)定不同的信息訪問級(jí)別。只有經(jīng)過授權(quán)的人員才能訪問相應(yīng)等級(jí)的服務(wù)信息。",
    en = "1. Different information access levels are set according to each employee's duties "
      .. "and authority.  Only authorised persons may access service information of the "
      .. "corresponding level.",
  },
  citation = "服務信息保密管理制度 第15條(保密措施·信息訪問控制 第1項)",
  messages = {
    ["act-on-people"] = {
      zh = "变更访问级别是对人员的操作,由第34条决定,第15条不适用。",
      en = "Changing an access level is an act on a person, decided by article 34; article 15 "
        .. "does not apply.",
    },
    ["unclassified"] = {
      zh = "该信息未标明密级(绝密、机密、秘密或公开),第15条的访问级别控制不适用;采用本制度的系统应为受保护信息标明密级。",
      en = "The information carries no level (top secret, secret, confidential or public), so "
        .. "article 15's access levels do not apply; a system adopting this policy labels what "
        .. "it protects.",
    },
    ["public-data"] = {
      zh = "该信息为公开信息,访问无需访问级别。",
      en = "The information is public; accessing it needs no access level.",
    },
    ["no-clearance"] = {
      zh = "「{subject}」没有任何信息访问级别,不得访问{level_zh}级信息。",
      en = "\"{subject}\" holds no access level and may not access {level_en} information.",
    },
    ["cleared"] = {
      zh = "「{subject}」的信息访问级别为{clearance_zh}({source_zh}),不低于该信息的密级{level_zh},可以访问。",
      en = "\"{subject}\" holds {clearance_en} access ({source_en}), at or above the "
        .. "information's {level_en} level: access is allowed.",
    },
    ["not-cleared"] = {
      zh = "「{subject}」的信息访问级别为{clearance_zh}({source_zh}),低于该信息的密级{level_zh};只有经过授权的人员才能访问相应等级的服务信息。",
      en = "\"{subject}\" holds {clearance_en} access ({source_en}), below the information's "
        .. "{level_en} level; only persons authorised for a level may access information of "
        .. "that level.",
    },
  },
  rule = function(req, data)
    if req.action == "change-clearance" then return not_applicable("act-on-people") end
    local level = req.resource.classification
    if level == nil then return not_applicable("unclassified") end
    if level == "public" then return permit("public-data") end

    local id = req.subject.id
    local claimed = req.subject.clearance
    local register = custos.field(data, "subjects")
    local entry = (id ~= nil and register ~= nil) and register[id] or nil

    local clearance, from_register
    if entry ~= nil then
      clearance, from_register = entry.clearance, true
      -- the request may only lower what the register grants
      if claimed ~= nil and clearance ~= nil and RANK[claimed] < RANK[clearance] then
        clearance, from_register = claimed, false
      end
    else
      clearance, from_register = claimed, false
    end

    local who = id or "?"
    if clearance == nil or clearance == "public" then
      return deny("no-clearance",
                  { subject = who, level_zh = LEVEL_ZH[level], level_en = LEVEL_EN[level] })
    end
    local params = {
      subject = who,
      clearance_zh = LEVEL_ZH[clearance], clearance_en = LEVEL_EN[clearance],
      level_zh = LEVEL_ZH[level], level_en = LEVEL_EN[level],
      source_zh = from_register and "据人员登记" or "据请求",
      source_en = from_register and "per the company's register" or "as the request states",
    }
    if RANK[clearance] >= RANK[level] then return permit("cleared", params) end
    return deny("not-cleared", params)
  end,
}
