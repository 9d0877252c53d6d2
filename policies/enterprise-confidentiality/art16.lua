-- policies/enterprise-confidentiality/art16.lua — 服務信息保密管理制度 第16條 (保密措施 ·
-- 信息訪問控制 第2項): every access is authenticated, and the system records every access
-- operation — time, person, content — for audit and tracing.
--
-- Reading:
--  1. Applies to every act on information labelled 絕密, 機密 or 秘密 (resource.classification
--     top_secret, secret, confidential), whatever the act; public or unlabelled information is
--     outside the confidentiality system (see article 15), and a change of access level
--     (action "change-clearance") is not an access to information.
--  2. "應(yīng)進(jìn)行身份驗(yàn)證": the host authenticates; the request names the authenticated person in
--     subject.id.  A request without a subject.id is an unauthenticated access: deny.  A host
--     that knows authentication failed may say so with the custom field
--     subject.authenticated: false, which also denies.
--  3. "記錄所有的訪問操作,包括訪問時(shí)間、訪問人員、訪問內(nèi)容": the record needs the content, so a
--     request that does not identify the information (no resource.id) cannot be logged: deny.
--  4. Otherwise permit, with the obligation log-access {who, when, what, action}: the host
--     writes the record (subject.id, context.time, resource.id, the act) before or as it
--     performs the act.  Like every obligation, it reaches the host only when the decision is
--     a permit; the engine has no obligation that survives a deny, so logging refused
--     attempts is left to the host's own audit log.

return article {
  number = "16",
  text = {
    zh = "2.員工在訪問服務(wù)信息時(shí),應(yīng)進(jìn)行身份驗(yàn)證,如使用用戶名和密碼登錄系統(tǒng)等。同時(shí),系統(tǒng)應(yīng)記錄所有的訪問操作,包括訪問時(shí)間、訪問人員、訪問內(nèi)容等,以便進(jìn)行審計(jì)和追蹤。",
    en = "2. When accessing service information, employees shall be authenticated, for "
      .. "example by logging in to the system with a user name and password.  The system "
      .. "shall record every access operation, including the time of access, the person "
      .. "accessing and the content accessed, for audit and tracing.",
  },
  citation = "服務信息保密管理制度 第16條(保密措施·信息訪問控制 第2項)",
  obligations = { "log-access" },
  messages = {
    ["not-an-access"] = {
      zh = "变更访问级别不是对信息的访问,第16条不适用。",
      en = "Changing an access level is not an access to information; article 16 does not apply.",
    },
    ["not-classified"] = {
      zh = "该信息不是绝密、机密或秘密级服务信息,第16条不适用。",
      en = "The information is not labelled top secret, secret or confidential; article 16 "
        .. "does not apply.",
    },
    ["unauthenticated"] = {
      zh = "请求未指明经过身份验证的访问人员;访问{level_zh}级服务信息应进行身份验证。",
      en = "The request names no authenticated person; accessing {level_en} service "
        .. "information requires authentication.",
    },
    ["authentication-failed"] = {
      zh = "「{subject}」未通过身份验证,不得访问{level_zh}级服务信息。",
      en = "\"{subject}\" has not been authenticated and may not access {level_en} service "
        .. "information.",
    },
    ["unidentified-resource"] = {
      zh = "请求未指明所访问的信息(resource.id),无法按要求记录访问内容,故不得访问。",
      en = "The request does not identify the information accessed (resource.id), so the "
        .. "access record could not name its content; access is refused.",
    },
    ["logged"] = {
      zh = "「{subject}」已经过身份验证;系统须记录此次访问:访问时间{when}、访问人员「{subject}」、访问内容「{resource}」({action})。",
      en = "\"{subject}\" is authenticated; the system must record this access: time {when}, "
        .. "person \"{subject}\", content \"{resource}\" ({action}).",
    },
  },
  rule = function(req, data) -- luacheck: ignore data
    local action = req.action
    if action == "change-clearance" then return not_applicable("not-an-access") end
    local level = req.resource.classification
    if level == nil or level == "public" then return not_applicable("not-classified") end
    local level_zh = level == "top_secret" and "绝密" or level == "secret" and "机密" or "秘密"
    local level_en = level == "top_secret" and "top secret" or level

    local id = req.subject.id
    if id == nil then
      return deny("unauthenticated", { level_zh = level_zh, level_en = level_en })
    end
    if custos.field(req, "subject.authenticated") == false then
      return deny("authentication-failed",
                  { subject = id, level_zh = level_zh, level_en = level_en })
    end
    local what = req.resource.id
    if what == nil then return deny("unidentified-resource") end

    local when = req.context.time
    local act = action or "access"
    return permit("logged", { subject = id, when = when, resource = what, action = act },
                  { { id = "log-access", who = id, when = when, what = what, action = act } })
  end,
}
