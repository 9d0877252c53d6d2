-- policies/lib/confidentiality_agreement.lua — whether the person touching confidential
-- information has signed a confidentiality agreement: 商务部、工业和信息化部令2009年第13号
-- 第六条, implemented by 穗外经贸法〔2012〕7号 第五条 (the contractor signs confidentiality
-- agreements with its staff and the third-party people who handle secrets).  The reading is in
-- gz-2012/art5.lua and mofcom-2009-13/art6.lua.
--
-- Used by gz-2012 art. 5 and mofcom-2009-13 art. 6, which both declare every code below in
-- their `messages`.  Loop-free.
local M = {}

-- The article's verdict once the data is known to be confidential information: deny when no
-- one acting is named ("no-subject"), when the person's agreement is not shown
-- ("agreement-not-shown") or was not signed ("no-agreement"), both {subject, role};
-- otherwise not applicable, "agreement-signed" (a precondition met, not an authority).
function M.judge(req)
  local subject = req.subject
  local id = subject.id
  if id == nil then return deny("no-subject") end
  local signed = subject.signed_confidentiality
  if signed == true then return not_applicable("agreement-signed") end -- no allocation
  local role = subject.role or "?"
  if signed == nil then return deny("agreement-not-shown", { subject = id, role = role }) end
  return deny("no-agreement", { subject = id, role = role })
end

-- The messages gz-2012 art. 5 and mofcom-2009-13 art. 6 word alike (the local article implements the national one);
-- each article adds or rewords its own with custos.messages.
M.MESSAGES = {
    ["no-subject"] = {
      zh = "请求未指明接触保密信息的人员,无法确认其已签订保密协议。",
      en = "The request names no one acting, so it cannot be shown that they signed a "
        .. "confidentiality agreement.",
    },
    ["agreement-not-shown"] = {
      zh = "请求未说明「{subject}」(角色:{role})是否已签订保密协议(subject.signed_confidentiality);接触保密信息的人员应签订保密协议,予以拒绝。",
      en = "The request does not say whether \"{subject}\" (role: {role}) signed a "
        .. "confidentiality agreement (subject.signed_confidentiality); people who handle "
        .. "confidential information must have signed one, so this is refused.",
    },
    ["no-agreement"] = {
      zh = "「{subject}」(角色:{role})未签订保密协议,不得接触保密信息;接包方应与涉密人员及涉密的第三方人员签订保密协议。",
      en = "\"{subject}\" (role: {role}) has not signed a confidentiality agreement and may not "
        .. "handle confidential information; the contractor must sign confidentiality "
        .. "agreements with the staff and third-party people who handle secrets.",
    },
    ["agreement-signed"] = {
      zh = "行为人已签订保密协议。",
      en = "The person acting has signed a confidentiality agreement.",
    },
}

return M
