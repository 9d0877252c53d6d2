-- policies/enterprise-confidentiality/art24.lua — 服務信息保密管理制度 第24條 (保密義務 ·
-- 合作商與供應商保密義務 第3項): partners and suppliers may not use or disclose the company's
-- service information without the company's written consent, nor use it for purposes
-- unrelated to the cooperation or supply.
--
-- Reading:
--  1. Applies to partners and suppliers: subject.role "partner" or "supplier", or a person the
--     company's register (data section `subjects`) lists with one of those roles (either
--     suffices: the stricter rule wins).  Staff are not this article's subject.
--  2. Applies to information labelled 絕密, 機密 or 秘密 (see article 15); public or unlabelled
--     information is not applicable.  Returning or destroying the information (actions
--     "return", "delete") neither uses nor discloses it, and is what article 25 demands: not
--     applicable.  Every other act (use, access, process, copy, disclose, ...) is use or
--     disclosure.
--  3. The cooperation: the company's agreements with partners are the data section
--     `cooperations` {partner, purposes, ends}.  A request may name one in the custom field
--     context.cooperation; it must be the subject's organisation's.  Otherwise the cooperation
--     is the partner's (subject.org, else the register's org) one that lists the request's
--     purpose, preferring one that has not ended (ids in sorted order break ties).  No
--     cooperation with this partner: deny.  (Whether the cooperation has ended is article
--     25's question.)
--  4. Purpose: "不得將信息用于與合作或供應(yīng)無關(guān)的其他目的" is absolute — the company's consent does
--     not make an unrelated purpose related.  A request with no purpose cannot be shown to be
--     related: deny.  A purpose no cooperation of the partner lists: deny.
--  5. Written consent, "未經(jīng)公司書面同意": context.consent must be present and written: true.
--     Then, whose: 「公司書面同意」 is the company's and no one else's.  The company is the one
--     whose service information it is (「公司的服務(wù)信息」): the resource's `owner`.
--       - a consent that does not say who gave it (no context.consent.by) cannot be shown to be
--         the company's: deny "consent-giver-unstated" (fail closed, naming the fact);
--       - a resource naming no owner leaves the company unknown: deny "company-unknown";
--       - a consent given by anyone but the company — the partner itself, another partner, a
--         third party — is not the company's: deny "consent-not-from-company";
--       - a consent that lists purposes covers only those: another purpose, deny;
--       - its validity window: context.consent.valid_from and valid_until are inclusive days
--         (China Standard Time, to the last second of valid_until); the request's time must
--         fall within them.  A bound that is absent does not limit that side.
--  6. Otherwise permit.

local cooperation = require "cooperation"

return article {
  number = "24",
  text = {
    zh = "3.未經(jīng)公司書面同意,合作商和供應(yīng)商不得擅自使用、披露公司的服務(wù)信息,不得將信息用于與合作或供應(yīng)無關(guān)的其他目的。",
    en = "3. Without the company's written consent, partners and suppliers shall not use or "
      .. "disclose the company's service information on their own, and shall not use the "
      .. "information for any purpose unrelated to the cooperation or supply.",
  },
  citation = "服務信息保密管理制度 第24條(保密義務·合作商與供應商保密義務 第3項)",
  messages = {
    ["not-partner"] = {
      zh = "「{subject}」不是合作商或供应商,第24条不适用。",
      en = "\"{subject}\" is not a partner or supplier; article 24 does not apply.",
    },
    ["not-classified"] = {
      zh = "该信息不是绝密、机密或秘密级服务信息,第24条不适用。",
      en = "The information is not labelled top secret, secret or confidential; article 24 "
        .. "does not apply.",
    },
    ["not-a-use"] = {
      zh = "「{action}」是归还或销毁信息,不是使用或披露,第24条不适用(见第25条)。",
      en = "\"{action}\" returns or destroys the information rather than using or disclosing "
        .. "it; article 24 does not apply (see article 25).",
    },
    ["no-organisation"] = {
      zh = "请求和人员登记均未指明合作商或供应商「{subject}」所属的单位,无法确认其合作关系。",
      en = "Neither the request nor the register names the organisation of partner or "
        .. "supplier \"{subject}\", so no cooperation can be found for it.",
    },
    ["unknown-cooperation"] = {
      zh = "找不到合作协议「{cooperation}」,无法确认使用目的与合作有关。",
      en = "No cooperation \"{cooperation}\" is known, so the use cannot be shown to serve it.",
    },
    ["cooperation-of-another-partner"] = {
      zh = "合作协议「{cooperation}」的合作方是「{partner}」,不是「{org}」。",
      en = "Cooperation \"{cooperation}\" is with \"{partner}\", not with \"{org}\".",
    },
    ["no-cooperation"] = {
      zh = "公司与「{org}」没有合作协议或供应合同,合作商和供应商不得使用、披露公司的服务信息。",
      en = "The company has no cooperation agreement or supply contract with \"{org}\"; it may "
        .. "not use or disclose the company's service information.",
    },
    ["no-purpose"] = {
      zh = "请求未指明使用目的,无法确认其与合作或供应有关。",
      en = "The request states no purpose, so it cannot be shown to serve the cooperation or "
        .. "supply.",
    },
    ["unrelated-purpose"] = {
      zh = "目的「{purpose}」与「{org}」的合作或供应({cooperations})无关;不得将信息用于与合作或供应无关的其他目的,公司同意也不例外。",
      en = "The purpose \"{purpose}\" is unrelated to the cooperation or supply with \"{org}\" "
        .. "({cooperations}); the information may not be used for unrelated purposes, even "
        .. "with the company's consent.",
    },
    ["no-consent"] = {
      zh = "「{org}」使用、披露公司的服务信息未经公司书面同意。",
      en = "\"{org}\" has no written consent of the company to use or disclose its service "
        .. "information.",
    },
    ["unwritten-consent"] = {
      zh = "公司的同意不是书面同意;未经公司书面同意,合作商和供应商不得使用、披露公司的服务信息。",
      en = "The company's consent is not in writing; partners and suppliers may not use or "
        .. "disclose the company's service information without written consent.",
    },
    ["consent-not-from-company"] = {
      zh = "同意由「{by}」作出,不是公司「{company}」的同意;未经公司书面同意,合作商和供应商不得使用、披露公司的服务信息。",
      en = "The consent was given by \"{by}\", not by the company \"{company}\"; without the "
        .. "company's written consent partners and suppliers may not use or disclose its "
        .. "service information.",
    },
    ["consent-giver-unstated"] = {
      zh = "书面同意未说明由谁作出(context.consent.by),无法确认是公司的同意。",
      en = "The written consent does not say who gave it (context.consent.by), so it cannot be "
        .. "shown to be the company's.",
    },
    ["company-unknown"] = {
      zh = "请求未指明该服务信息属于哪家公司(resource.owner),无法确认同意是公司的同意。",
      en = "The request does not say whose service information this is (resource.owner), so "
        .. "the consent cannot be shown to be the company's.",
    },
    ["purpose-not-consented"] = {
      zh = "公司的书面同意不包括目的「{purpose}」。",
      en = "The company's written consent does not cover the purpose \"{purpose}\".",
    },
    ["consent-not-yet-valid"] = {
      zh = "公司的书面同意自{valid_from}起生效,此时尚未生效。",
      en = "The company's written consent holds from {valid_from}; it does not yet hold.",
    },
    ["consent-expired"] = {
      zh = "公司的书面同意有效期至{valid_until},已经届满。",
      en = "The company's written consent held until {valid_until}; it has expired.",
    },
    ["written-consent"] = {
      zh = "「{org}」为合作「{cooperation}」的目的「{purpose}」使用信息,已获公司书面同意,且在同意有效期内。",
      en = "\"{org}\" uses the information for \"{purpose}\", a purpose of cooperation "
        .. "\"{cooperation}\", with the company's written consent, within its validity.",
    },
  },
  rule = function(req, data)
    local subject = req.subject.id
    local is_partner, org = cooperation.partner(req, data)
    if not is_partner then
      return not_applicable("not-partner", { subject = subject or "?" })
    end
    local level = req.resource.classification
    if level == nil or level == "public" then return not_applicable("not-classified") end
    local action = req.action
    if action == "return" or action == "delete" then
      return not_applicable("not-a-use", { action = action })
    end

    if org == nil then return deny("no-organisation", { subject = subject or "?" }) end
    local purpose = req.purpose
    local now = req.context.epoch

    local cid, coop, detail = cooperation.resolve(req, data, org, now)
    if cid == nil then
      local why = coop
      if why == "unknown-cooperation" then
        return deny("unknown-cooperation", { cooperation = detail })
      end
      if why == "no-cooperation" then return deny("no-cooperation", { org = org }) end
      if purpose == nil then return deny("no-purpose") end
      return deny("unrelated-purpose",
                  { purpose = purpose, org = org, cooperations = table.concat(detail, ", ") })
    end
    if coop.partner ~= org then
      return deny("cooperation-of-another-partner",
                  { cooperation = cid, partner = coop.partner or "?", org = org })
    end
    if purpose == nil then return deny("no-purpose") end
    if not custos.has(coop.purposes, purpose) then
      return deny("unrelated-purpose", { purpose = purpose, org = org, cooperations = cid })
    end

    local consent = req.context.consent
    if consent == nil then return deny("no-consent", { org = org }) end
    if consent.written ~= true then return deny("unwritten-consent") end
    local by = consent.by
    if by == nil then return deny("consent-giver-unstated") end
    local company = req.resource.owner
    if company == nil then return deny("company-unknown") end
    if by ~= company then
      return deny("consent-not-from-company", { by = by, company = company })
    end
    if consent.purposes ~= nil and #consent.purposes > 0
        and not custos.has(consent.purposes, purpose) then
      return deny("purpose-not-consented", { purpose = purpose })
    end
    if consent.valid_from ~= nil and now < custos.date_start(consent.valid_from) then
      return deny("consent-not-yet-valid", { valid_from = consent.valid_from })
    end
    if consent.valid_until ~= nil and now > custos.date_end(consent.valid_until) then
      return deny("consent-expired", { valid_until = consent.valid_until })
    end
    return permit("written-consent", { org = org, cooperation = cid, purpose = purpose })
  end,
}
