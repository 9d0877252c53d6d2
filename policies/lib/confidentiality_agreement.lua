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

return M
