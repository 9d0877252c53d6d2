-- policies/enterprise-confidentiality/art34.lua — 服務信息保密管理制度 第34條 (違規處理 ·
-- 違規行為界定 第4項): raising an access level without authorisation, against the company's
-- access-control rules, is a violation.
--
-- The access-control rule it refers to is article 15: the company sets each person's access
-- level "根據(jù)員工的工作職責(zé)和權(quán)限".  The violation is defined after the fact; a system enforcing
-- the policy refuses the act beforehand.
--
-- Reading:
--  1. Applies to the act of changing someone's access level: action "change-clearance", with
--     context.target_subject (whose level) and context.target_level (the new level).
--  2. The act must say whose level it changes and who asks: without context.target_subject or
--     subject.id it cannot be checked: deny (fail closed).
--  3. One's own level: "擅自" — on one's own authority.  Nobody changes their own access level,
--     with or without an approver (an approver who agrees makes the change themselves): deny.
--  4. Someone else's level: a raise (target_level above the target's level in the company's
--     register, data section `subjects`; a person not in it holds none) needs authorisation:
--     context.approvals must name a person other than the one asking and the one raised, who
--     is in the register with a level at or above the new one (no one grants more than they
--     hold).  Otherwise deny.  A change without target_level cannot be shown not to be a
--     raise: deny.  A register that is not loaded cannot show the approver's level: deny.
--  5. A change to the same or a lower level is not a raise: not applicable.
--  6. The permit names the approver; it carries no obligation (the host records the change in
--     its own audit log like any administrative act).

local levels = require "levels"
local RANK, LEVEL_ZH, LEVEL_EN = levels.RANK, levels.ZH, levels.EN

return article {
  number = "34",
  text = {
    zh = "4.違反公司信息訪問控制規(guī)定,擅自提高訪問權(quán)限。",
    en = "4. Violating the company's information access control rules by raising an access "
      .. "level without authorisation.",
  },
  citation = "服務信息保密管理制度 第34條(違規處理·違規行為界定 第4項)",
  messages = {
    ["not-a-change"] = {
      zh = "该行为不是变更访问级别,第34条不适用。",
      en = "The act does not change an access level; article 34 does not apply.",
    },
    ["no-target"] = {
      zh = "变更访问级别的请求未指明变更谁的访问级别(context.target_subject)或由谁提出(subject.id),无法确认是否经过授权。",
      en = "The access-level change does not say whose level it changes "
        .. "(context.target_subject) or who asks (subject.id), so it cannot be shown to be "
        .. "authorised.",
    },
    ["own-level"] = {
      zh = "「{subject}」不得变更自己的访问级别;擅自提高访问权限属于违规行为。",
      en = "\"{subject}\" may not change their own access level; raising one's access level "
        .. "without authorisation is a violation.",
    },
    ["no-target-level"] = {
      zh = "请求未指明新的访问级别(context.target_level),无法确认不是提高访问权限,故不得变更。",
      en = "The request names no new level (context.target_level), so it cannot be shown not "
        .. "to be a raise; refused.",
    },
    ["not-a-raise"] = {
      zh = "将「{target}」的访问级别从{current_zh}改为{new_zh},不是提高访问权限,第34条不适用。",
      en = "Changing \"{target}\"'s level from {current_en} to {new_en} is not a raise; "
        .. "article 34 does not apply.",
    },
    ["no-approver"] = {
      zh = "将「{target}」的访问级别从{current_zh}提高到{new_zh}须经授权,但请求中没有授权人(context.approvals)。",
      en = "Raising \"{target}\"'s level from {current_en} to {new_en} needs authorisation, "
        .. "but the request names no approver (context.approvals).",
    },
    ["no-register"] = {
      zh = "未加载人员登记(subjects),无法确认授权人「{approver}」有权批准{new_zh}级访问权限。",
      en = "No register of people (subjects) is loaded, so approver \"{approver}\" cannot be "
        .. "shown to hold {new_en} access to grant.",
    },
    ["approver-is-party"] = {
      zh = "授权人「{approver}」是提出人或被提升人本人,不能为此次提高访问权限授权。",
      en = "Approver \"{approver}\" is the person asking or the person raised, and cannot "
        .. "authorise this raise.",
    },
    ["approver-unknown"] = {
      zh = "授权人「{approver}」不在人员登记中,无法确认其有权授权。",
      en = "Approver \"{approver}\" is not in the company's register, so their authority "
        .. "cannot be shown.",
    },
    ["approver-not-cleared"] = {
      zh = "授权人「{approver}」的访问级别为{approver_zh},低于要授予的{new_zh}级,不能授权。",
      en = "Approver \"{approver}\" holds {approver_en} access, below the {new_en} level to be "
        .. "granted, and cannot authorise it.",
    },
    ["raise-approved"] = {
      zh = "将「{target}」的访问级别从{current_zh}提高到{new_zh},已由「{approver}」授权。",
      en = "Raising \"{target}\"'s level from {current_en} to {new_en} is authorised by "
        .. "\"{approver}\".",
    },
  },
  rule = function(req, data)
    if req.action ~= "change-clearance" then return not_applicable("not-a-change") end
    local subject = req.subject.id
    local target = req.context.target_subject
    if subject == nil or target == nil then return deny("no-target") end
    if target == subject then return deny("own-level", { subject = subject }) end
    local new = req.context.target_level
    if new == nil then return deny("no-target-level") end

    local register = custos.field(data, "subjects")
    local current_entry = register ~= nil and register[target] or nil
    local current = current_entry ~= nil and current_entry.clearance or "public"
    local params = {
      target = target,
      current_zh = LEVEL_ZH[current], current_en = LEVEL_EN[current],
      new_zh = LEVEL_ZH[new], new_en = LEVEL_EN[new],
    }
    if RANK[new] <= RANK[current] then return not_applicable("not-a-raise", params) end

    local approvals = req.context.approvals
    if approvals == nil or #approvals == 0 then return deny("no-approver", params) end
    local first_code, first_approver, first_level
    for _, approver in ipairs(approvals) do
      local code, level
      if approver == subject or approver == target then
        code = "approver-is-party"
      elseif register == nil then
        code = "no-register"
      else
        local entry = register[approver]
        if entry == nil then
          code = "approver-unknown"
        else
          level = entry.clearance or "public"
          if RANK[level] >= RANK[new] then
            params.approver = approver
            return permit("raise-approved", params)
          end
          code = "approver-not-cleared"
        end
      end
      if first_code == nil then first_code, first_approver, first_level = code, approver, level end
    end
    params.approver = first_approver
    if first_level ~= nil then
      params.approver_zh, params.approver_en = LEVEL_ZH[first_level], LEVEL_EN[first_level]
    end
    return deny(first_code, params)
  end,
}
