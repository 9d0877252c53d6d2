-- policies/enterprise-confidentiality/art19.lua — 服務信息保密管理制度 第19條 (保密義務 ·
-- 公司員工保密義務 第2項): no private copying, storing or spreading of service information; no
-- taking it out of the company or giving it to unrelated people without authorisation.
--
-- Reading:
--  1. The controlled acts, and the request actions they are:
--       复制 copy · 存储 store · 传播 transfer · 带出公司 export · 提供给无关人员 disclose.
--     Article 33 (違規行為界定 第3項) names the private acts that break this duty as
--     "私自復(fù)制、傳播、出售": selling (sell) is read as one of the controlled acts too.
--     "私自" (privately, on one's own) and "未經(jīng)授權(quán)" (without authorisation) say the same thing
--     for both halves of the sentence: each act is allowed only to a person the company has
--     authorised for it.  Other acts (use, access, process, ...) are not this article's
--     question: not applicable.
--  2. Applies to information labelled 絕密, 機密 or 秘密; public or unlabelled information is
--     outside the confidentiality system (see article 15).
--  3. The authorisation is the company's: its register (data section `subjects`) lists, for
--     each person, the controlled acts they are authorised to do (authorized_actions).  A
--     person it does not list, or a list without the act, is not authorised: deny.  With no
--     register loaded nobody is shown to be authorised: deny (fail closed).
--  4. Binds partners and suppliers as it binds staff: article 22 makes them bear
--     "與公司員工同等的保密義務(wù)", so the article applies whatever subject.role is.
--  5. An authorised act still needs the access level (article 15), dual authorization for top
--     secret (article 17), and, for partners, written consent (article 24): those articles
--     decide alongside this one.

local ACTS = {
  copy = { zh = "复制服务信息", en = "copy service information" },
  store = { zh = "存储服务信息", en = "store service information" },
  transfer = { zh = "传播服务信息", en = "spread (transmit) service information" },
  export = { zh = "将服务信息带出公司", en = "take service information out of the company" },
  disclose = { zh = "将服务信息提供给无关人员", en = "give service information to unrelated people" },
  sell = { zh = "出售服务信息", en = "sell service information" },
}

return article {
  number = "19",
  text = {
    zh = "2.不得私自復(fù)制、存儲(chǔ)、傳播公司的服務(wù)信息,未經(jīng)授權(quán)不得將信息帶出公司或提供給無關(guān)人員。",
    en = "2. Do not privately copy, store or spread the company's service information; do not "
      .. "take information out of the company or give it to unrelated persons without "
      .. "authorisation.",
  },
  citation = "服務信息保密管理制度 第19條(保密義務·公司員工保密義務 第2項)",
  messages = {
    ["not-controlled"] = {
      zh = "该行为不是复制、存储、传播、出售、带出公司或提供给他人,第19条不适用。",
      en = "The act is not copying, storing, spreading, selling, taking out or giving away; "
        .. "article 19 does not apply.",
    },
    ["not-classified"] = {
      zh = "该信息不是绝密、机密或秘密级服务信息,第19条不适用。",
      en = "The information is not labelled top secret, secret or confidential; article 19 "
        .. "does not apply.",
    },
    ["no-register"] = {
      zh = "未加载人员登记(subjects),无法确认「{subject}」获授权{act_zh},故不得为之。",
      en = "No register of people (subjects) is loaded, so \"{subject}\" cannot be shown to be "
        .. "authorised to {act_en}; refused.",
    },
    ["unregistered"] = {
      zh = "「{subject}」不在人员登记中,未获授权{act_zh};不得私自为之。",
      en = "\"{subject}\" is not in the company's register and is not authorised to {act_en}; "
        .. "it may not be done privately.",
    },
    ["not-authorized"] = {
      zh = "「{subject}」未获公司授权{act_zh}(「{action}」);不得私自复制、存储、传播公司的服务信息,未经授权不得将信息带出公司或提供给无关人员。",
      en = "\"{subject}\" is not authorised by the company to {act_en} (\"{action}\"); service "
        .. "information may not be copied, stored or spread privately, nor taken out of the "
        .. "company or given to unrelated people without authorisation.",
    },
    ["authorized"] = {
      zh = "「{subject}」经公司授权可以{act_zh}(「{action}」)。",
      en = "\"{subject}\" is authorised by the company to {act_en} (\"{action}\").",
    },
  },
  rule = function(req, data)
    local action = req.action
    local act = action ~= nil and ACTS[action] or nil
    if act == nil then return not_applicable("not-controlled") end
    local level = req.resource.classification
    if level == nil or level == "public" then return not_applicable("not-classified") end

    local subject = req.subject.id
    local params = { subject = subject or "?", action = action, act_zh = act.zh, act_en = act.en }
    local register = custos.field(data, "subjects")
    if register == nil then return deny("no-register", params) end
    local entry = subject ~= nil and register[subject] or nil
    if entry == nil then return deny("unregistered", params) end
    if custos.has(entry.authorized_actions, action) then return permit("authorized", params) end
    return deny("not-authorized", params)
  end,
}
