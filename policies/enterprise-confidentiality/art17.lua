-- policies/enterprise-confidentiality/art17.lua — 服務信息保密管理制度 第17條 (保密措施 ·
-- 信息訪問控制 第3項): dual authorization for highly sensitive information.
--
-- Reading:
--  1. "高敏感信息" is read as the highest of the three levels, 絕密 (top_secret): the document
--     calls it "公司最為核心的機(jī)密信息" and gives it the strictest measures elsewhere too
--     (separate premises, article 7).  Secret and confidential information need no second
--     person.  Applies to every act on top-secret information (an access to it in any form),
--     not to a change of access level (article 34).
--  2. "兩人同時(shí)在場(chǎng)并輸入各自的授權(quán)信息": a second person must authorise the same access.  The
--     request lists the further people authorising it in context.approvals.  The second person
--     must be
--       - a different person from the subject (one person cannot be both: "兩人"), and
--       - authorised for top-secret information themselves, per the company's register (data
--         section `subjects`, clearance top_secret).  A person the register does not list is
--         not shown to be authorised; a register that is not loaded cannot show anyone is:
--         deny (fail closed).
--     Whether the subject holds a top-secret level is article 15's question, not this one's.
--  3. The first approver in the list who qualifies is named; the permit carries the
--     obligation dual-authorization {approver}: the host must have that person present and
--     entering their own credentials at the same time before it grants the access.  When no
--     approver qualifies, the deny names the first one listed and why they do not.

return article {
  number = "17",
  title = {
    zh = "信息访问控制 第3项:双人授权",
    en = "Access control 3: dual authorization",
  },
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
      zh = "该信息不是绝密级信息,无需双人授权。",
      en = "The information is not top secret; no dual authorization is needed.",
    },
    ["no-second-person"] = {
      zh = "访问绝密级信息须双人授权,但请求中没有第二名授权人(context.approvals)。",
      en = "Access to top-secret information needs dual authorization, but the request names "
        .. "no second authorizing person (context.approvals).",
    },
    ["no-register"] = {
      zh = "未加载人员登记(subjects),无法确认授权人「{approver}」具有绝密级访问级别,故不得访问。",
      en = "No register of people (subjects) is loaded, so approver \"{approver}\" cannot be "
        .. "shown to hold top-secret access; access is refused.",
    },
    ["self-approval"] = {
      zh = "「{approver}」就是访问人本人;双人授权须由两名不同的人员各自输入授权信息。",
      en = "\"{approver}\" is the person asking; dual authorization needs two different "
        .. "people, each entering their own authorization.",
    },
    ["approver-unknown"] = {
      zh = "授权人「{approver}」不在人员登记中,无法确认其具有绝密级访问级别。",
      en = "Approver \"{approver}\" is not in the company's register, so they are not shown to "
        .. "hold top-secret access.",
    },
    ["approver-not-cleared"] = {
      zh = "授权人「{approver}」的访问级别为{clearance_zh},不是绝密级,不能作为双人授权的第二人。",
      en = "Approver \"{approver}\" holds {clearance_en} access, not top secret, and cannot be "
        .. "the second person of a dual authorization.",
    },
    ["dual-authorized"] = {
      zh = "「{approver}」具有绝密级访问级别,与「{subject}」共同授权此次访问;两人须同时在场并各自输入授权信息。",
      en = "\"{approver}\", who holds top-secret access, authorizes this access together with "
        .. "\"{subject}\"; both must be present and each enter their own authorization.",
    },
  },
  rule = function(req, data)
    if req.action == "change-clearance" then return not_applicable("not-an-access") end
    if req.resource.classification ~= "top_secret" then return not_applicable("not-top-secret") end

    local approvals = req.context.approvals
    if approvals == nil or #approvals == 0 then return deny("no-second-person") end

    local subject = req.subject.id
    local register = custos.field(data, "subjects")
    local first_code, first_params
    for _, approver in ipairs(approvals) do
      local code, params
      if subject ~= nil and approver == subject then
        code, params = "self-approval", { approver = approver }
      elseif register == nil then
        code, params = "no-register", { approver = approver }
      else
        local entry = register[approver]
        if entry == nil then
          code, params = "approver-unknown", { approver = approver }
        elseif entry.clearance ~= "top_secret" then
          local c = entry.clearance
          code, params = "approver-not-cleared", {
            approver = approver,
            clearance_zh = c == "secret" and "机密" or c == "confidential" and "秘密" or "无(公开)",
            clearance_en = c == "secret" and "secret" or c == "confidential" and "confidential"
              or "no",
          }
        else
          return permit("dual-authorized", { approver = approver, subject = subject or "?" },
                        { { id = "dual-authorization", approver = approver } })
        end
      end
      if first_code == nil then first_code, first_params = code, params end
    end
    return deny(first_code, first_params)
  end,
}
