-- policies/enterprise-confidentiality/art25.lua — 服務信息保密管理制度 第25條 (保密義務 ·
-- 合作商與供應商保密義務 第4項): when the cooperation ends, partners and suppliers return all
-- materials and carriers of the company's service information and destroy the backups.
--
-- Reading:
--  1. Applies to partners and suppliers (subject.role, or the register's role: see article
--     24) acting on information labelled 絕密, 機密 or 秘密; public or unlabelled information is
--     not applicable.
--  2. The cooperation is found as article 24 finds it, with the same code (lib/cooperation.lua:
--     the custom field context.cooperation, else the partner's cooperation listing the
--     request's purpose, preferring one not ended).
--     A cooperation's `ends` is its last day, inclusive to the last second (China Standard
--     Time).
--  3. After the end, the partner holds the information only to give it back: any further use
--     is denied, with the obligation return-and-destroy {cooperation, partner, ended} (return
--     every material and carrier, destroy every backup).  Returning or destroying (actions
--     "return", "delete") is exactly what the article demands: permitted, with the same
--     obligation.
--  4. When the request's purpose is listed by none of the partner's cooperations (article 24
--     denies that), this article still speaks if every cooperation with the partner has
--     ended: the relationship is over, so it denies (or permits a return) with one
--     return-and-destroy per ended cooperation.  While any cooperation runs, it leaves such a
--     request to article 24.
--  5. A cooperation not ended: permit, naming its last day.  No cooperation at all, an unknown
--     one, or one of another partner: not applicable here (article 24 denies).

local cooperation = require "cooperation"

return article {
  number = "25",
  text = {
    zh = "4.合作關(guān)系結(jié)束后,合作商和供應(yīng)商應(yīng)按照合同要求,歸還所有涉及公司服務(wù)信息的資料和載體,并銷毀相關(guān)備份。",
    en = "4. When the cooperation ends, partners and suppliers shall, as their contract "
      .. "requires, return all materials and carriers involving the company's service "
      .. "information, and destroy the related backups.",
  },
  citation = "服務信息保密管理制度 第25條(保密義務·合作商與供應商保密義務 第4項)",
  obligations = { "return-and-destroy" },
  messages = {
    ["not-partner"] = {
      zh = "「{subject}」不是合作商或供应商,第25条不适用。",
      en = "\"{subject}\" is not a partner or supplier; article 25 does not apply.",
    },
    ["not-classified"] = {
      zh = "该信息不是绝密、机密或秘密级服务信息,第25条不适用。",
      en = "The information is not labelled top secret, secret or confidential; article 25 "
        .. "does not apply.",
    },
    ["no-cooperation"] = {
      zh = "未找到适用的合作协议,由第24条决定。",
      en = "No applicable cooperation was found; article 24 decides.",
    },
    ["cooperation-in-force"] = {
      zh = "合作「{cooperation}」尚未结束(至{ends})。",
      en = "Cooperation \"{cooperation}\" has not ended (it runs to {ends}).",
    },
    ["cooperation-open-ended"] = {
      zh = "合作「{cooperation}」未约定结束日期,尚未结束。",
      en = "Cooperation \"{cooperation}\" states no end and has not ended.",
    },
    ["cooperation-ended"] = {
      zh = "合作「{cooperation}」已于{ended}结束;「{partner}」不得继续使用公司的服务信息,应按合同要求归还所有涉及公司服务信息的资料和载体,并销毁相关备份。",
      en = "Cooperation \"{cooperation}\" ended on {ended}; \"{partner}\" may no longer use the "
        .. "company's service information and must return all materials and carriers holding "
        .. "it, as the contract requires, and destroy the related backups.",
    },
    ["returning-after-end"] = {
      zh = "合作「{cooperation}」已于{ended}结束;「{partner}」归还或销毁公司的服务信息(「{action}」)正是本项的要求。",
      en = "Cooperation \"{cooperation}\" ended on {ended}; \"{partner}\" returning or "
        .. "destroying the company's service information (\"{action}\") is what this item "
        .. "requires.",
    },
  },
  rule = function(req, data)
    local is_partner, org = cooperation.partner(req, data)
    if not is_partner then
      return not_applicable("not-partner", { subject = req.subject.id or "?" })
    end
    local level = req.resource.classification
    if level == nil or level == "public" then return not_applicable("not-classified") end

    if org == nil then return not_applicable("no-cooperation") end
    local now = req.context.epoch
    local action = req.action
    local returning = action == "return" or action == "delete"

    local cid, coop, ids = cooperation.resolve(req, data, org, now)
    local over = {} -- the ended cooperations this verdict is about
    if cid ~= nil then
      if coop.partner ~= org then return not_applicable("no-cooperation") end
      if not cooperation.ended(coop, now) then
        if coop.ends == nil then
          return permit("cooperation-open-ended", { cooperation = cid })
        end
        return permit("cooperation-in-force", { cooperation = cid, ends = coop.ends })
      end
      over[1] = cid
    elseif coop == "no-cooperation-for-purpose" then
      local coops = custos.field(data, "cooperations")
      for _, id in ipairs(ids) do
        if not cooperation.ended(coops[id], now) then return not_applicable("no-cooperation") end
        over[#over + 1] = id
      end
    else
      return not_applicable("no-cooperation")
    end

    local coops = custos.field(data, "cooperations")
    local obligations, latest = {}, nil
    for i, id in ipairs(over) do
      local ends = coops[id].ends
      obligations[i] = { id = "return-and-destroy", cooperation = id, partner = org, ended = ends }
      if latest == nil or custos.date_end(ends) > custos.date_end(latest) then latest = ends end
    end
    local params = { cooperation = table.concat(over, ", "), partner = org, ended = latest,
                     action = action or "?" }
    if returning then return permit("returning-after-end", params, obligations) end
    return deny("cooperation-ended", params, obligations)
  end,
}
