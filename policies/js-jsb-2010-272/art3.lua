-- policies/js-jsb-2010-272/art3.lua — 苏建办〔2010〕272号 三: construction-project business
-- systems ask at login whether the project is classified, refuse a classified one with the
-- prompt "标密工程严禁使用本系统", and log who logged in, when, and what they did.
--
-- Reading:
--  1. The login (action "login") carries the answer to "本项目是否标密" in
--     resource.classified_project.
--      - Answered yes (true): refused, with exactly the prompt "标密工程严禁使用本系统" (the
--        message's zh is those characters and nothing else).  The refused attempt is logged
--        too: obligation log-login {who, when, what = "login", project, result = "refused"}.
--      - Not answered (absent): the login must ask; a login that did not get an answer cannot
--        be shown not to be a classified project: refused (fail closed), asking the question.
--      - Answered no (false): permitted, with the obligation log-login {who, when,
--        what = "login", project}.
--     The log must name who logged in, so a login without subject.id is refused.
--  2. "自动记载登录人、登录时间和进入系统所做的操作": after the login, every act in the system on a project
--     answered "no" is logged the same way: permit with log-login {who, when, what = the act,
--     project}.  Acts on a classified project are refused by article 2; acts that concern no
--     project (classified_project absent) are not this item's question.
--  3. The system's other duty under this item (to be rebuilt: 改造完善) is the operator's, not
--     a question about a request.
return article {
  number = "3",
  text = {
    zh = "三、各地要立即对在用地规划、施工图设计审查、招标投标、质量监督、施工许可、竣工验收备案、房地产管理等所有涉及建设工程项目信息的业务系统进行改造完善:登录系统时需增加“本项目是否标密”选项,对选择“是”的项目,系统拒绝登录,并提示“标密工程严禁使用本系统”;增强系统日志功能,自动记载登录人、登录时间和进入系统所做的操作。",
    en = "III. Every locality shall at once rebuild and improve all business systems that "
      .. "involve construction project information — land-use planning, construction drawing "
      .. "review, tendering and bidding, quality supervision, construction permits, completion "
      .. "acceptance filing, real-estate management and the like: the login shall add the "
      .. "question \"Is this project classified?\"; for a project answered \"yes\" the system "
      .. "refuses the login and shows \"Classified projects must not use this system\"; the "
      .. "system log shall be strengthened to record automatically who logged in, when, and "
      .. "the operations done after entering the system.",
  },
  citation = "苏建办〔2010〕272号 第三项",
  obligations = { "log-login" },
  messages = {
    ["classified-project"] = {
      zh = "标密工程严禁使用本系统",
      en = "Classified projects must not use this system.",
    },
    ["classification-not-declared"] = {
      zh = "登录时须回答“本项目是否标密”;未回答的,系统不得允许登录。",
      en = "The login must answer \"Is this project classified?\"; without an answer the "
        .. "system may not let the user in.",
    },
    ["no-user"] = {
      zh = "请求未指明登录人(subject.id),系统无法按要求记载登录人,故不得登录或操作。",
      en = "The request names no user (subject.id), so the system could not record who logged "
        .. "in as required; refused.",
    },
    ["login-logged"] = {
      zh = "「{who}」登录系统,项目「{project}」未标密;系统须记载登录人、登录时间({when})和进入系统所做的操作。",
      en = "\"{who}\" logs in; project \"{project}\" is not classified.  The system must record "
        .. "who logged in, when ({when}), and what they do in the system.",
    },
    ["operation-logged"] = {
      zh = "「{who}」在系统中对未标密的项目「{project}」进行「{what}」操作;系统须记载此操作。",
      en = "\"{who}\" performs \"{what}\" on project \"{project}\", which is not classified; the "
        .. "system must record the operation.",
    },
    ["not-a-login"] = {
      zh = "该请求不是登录,也不涉及已回答未标密的工程项目,第三项不适用。",
      en = "The request is not a login and concerns no project answered \"not classified\"; "
        .. "item III does not apply.",
    },
  },
  rule = function(req, data) -- luacheck: ignore data
    local action = req.action
    local classified = req.resource.classified_project
    local who = req.subject.id
    local when = req.context.time
    local project = req.resource.project or req.resource.id or "?"

    if action == "login" then
      if classified == true then
        return deny("classified-project", nil,
                    { { id = "log-login", who = who, when = when, what = "login",
                        project = project, result = "refused" } })
      end
      if classified == nil then return deny("classification-not-declared") end
      if who == nil then return deny("no-user") end
      return permit("login-logged", { who = who, when = when, project = project },
                    { { id = "log-login", who = who, when = when, what = "login",
                        project = project } })
    end

    if classified ~= false then return not_applicable("not-a-login") end
    if who == nil then return deny("no-user") end
    local what = action or "?"
    return permit("operation-logged", { who = who, what = what, project = project },
                  { { id = "log-login", who = who, when = when, what = what, project = project } })
  end,
}
