-- policies/js-jsb-2010-272/art2.lua — 苏建办〔2010〕272号 二: a classified (标密) construction
-- project must not enter any information system, let alone be published on the internet; its
-- review and approval go on paper.
--
-- Reading:
--  1. "所有标密的建设工程项目均不得进入信息系统": whatever the act — logging in with the
--     project, entering, viewing, uploading, publishing — a project marked classified
--     (resource.classified_project == true) is refused.  No consent, approval or clearance
--     lifts it: the notice sends such projects to paper ("均采用纸质文件交换").
--  2. The refusal shows the prompt item 三 prescribes for the login, "标密工程严禁使用本系统",
--     exactly those characters and nothing added, so the host can display the message as it
--     is; the English message is our rendering.
--  3. A project not marked classified, or a request about no project, is not this item's
--     question: not applicable.  (Whether the login asked at all is article 3's question.)
return article {
  number = "2",
  text = {
    zh = "二、各级建设行政主管部门在受理标密工程建设项目行政事项时,须按照保密工作有关规定办理。\n所有标密的建设工程项目均不得进入信息系统,更不得在互联网上发布与其相关的任何信息;所有标密的建设工程项目在审查、审批过程中,均采用纸质文件交换,并单独编号。",
    en = "II. When construction administrative departments at all levels handle administrative "
      .. "matters of classified construction projects, they shall do so according to the "
      .. "rules on secrecy work.\n"
      .. "No classified construction project may enter an information system, still less may "
      .. "any information about it be published on the internet; during review and approval, "
      .. "every classified construction project is handled by exchanging paper documents, "
      .. "numbered separately.",
  },
  citation = "苏建办〔2010〕272号 第二项",
  messages = {
    ["classified-project"] = {
      zh = "标密工程严禁使用本系统",
      en = "Classified projects must not use this system.",
    },
    ["not-classified"] = {
      zh = "该工程项目未标密,第二项不适用。",
      en = "The project is not marked classified; item II does not apply.",
    },
  },
  rule = function(req, data) -- luacheck: ignore data
    if req.resource.classified_project == true then return deny("classified-project") end
    return not_applicable("not-classified")
  end,
}
