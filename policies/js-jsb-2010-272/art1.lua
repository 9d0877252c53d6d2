-- policies/js-jsb-2010-272/art1.lua — 苏建办〔2010〕272号 一: 「上网信息不涉密,涉密信息不上网」 —
-- information put on the network must not be classified, and classified information must
-- never go on the network.
--
-- Reading:
--  1. The item is wider than item 二: it covers all classified information (涉密信息), not only
--     projects marked 标密.  Classified information is information at one of the secrecy levels,
--     绝密, 机密 or 秘密: resource.classification top_secret, secret or confidential.
--  2. The notice is about construction project information in the departments' information
--     systems (「建设工程项目信息安全」, 「业务系统」), and the host asking is such a system: a
--     request about a construction project (resource.project) that carries classified
--     information is that information entering the network — refused, whatever the act
--     ("classified-information"): no approval lifts it (「谁审核,谁负责」 makes the reviewer
--     answer for it, it does not authorise it).
--  3. Information that is public or carries no level, or a request about no project, is not
--     this item's question: not applicable.  A project marked 标密 is item 二's (article 2)
--     refusal, with its prescribed prompt; this item refuses too when its information also
--     carries a level.
local LEVEL_ZH = { top_secret = "绝密", secret = "机密", confidential = "秘密" }

return article {
  number = "1",
  text = {
    zh = "一、各地各级建设行政主管部门要高度重视电子政务信息安全工作,建立“一把手”领导亲自抓,分管领导具体负责的机制,并按照“谁审核,谁负责”的原则,确保“上网信息不涉密,涉密信息不上网”。",
    en = "I. Construction administrative departments at all levels shall attach great "
      .. "importance to the information security of e-government, set up a mechanism in which "
      .. "the head takes charge personally and the leader in charge is specifically "
      .. "responsible, and, on the principle that whoever reviews is responsible, ensure that "
      .. "\"information put online is not classified, and classified information does not go "
      .. "online\".",
  },
  citation = "苏建办〔2010〕272号 第一项",
  messages = {
    ["classified-information"] = {
      zh = "工程项目「{project}」的该信息为{level_zh}级涉密信息;涉密信息不上网,不得进入信息系统。",
      en = "This information of project \"{project}\" is classified ({level}); classified "
        .. "information does not go online and may not enter the information system.",
    },
    ["not-classified"] = {
      zh = "该信息不是涉密信息(或请求不涉及工程项目),第一项不适用。",
      en = "The information is not classified (or the request concerns no project); item I "
        .. "does not apply.",
    },
  },
  rule = function(req, data) -- luacheck: ignore data
    local resource = req.resource
    local level = resource.classification
    local level_zh = level ~= nil and LEVEL_ZH[level] or nil
    if resource.project == nil or level_zh == nil then return not_applicable("not-classified") end
    return deny("classified-information",
                { project = resource.project, level = level, level_zh = level_zh })
  end,
}
