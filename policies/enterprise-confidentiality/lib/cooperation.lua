-- policies/enterprise-confidentiality/lib/cooperation.lua — partners and suppliers, and the
-- company's cooperations with them (data section `cooperations` {partner, purposes, ends}),
-- for the items of 合作商與供應商保密義務: who is a partner or supplier, which cooperation a
-- request is under, and whether it has ended.  The reading is in art24.lua (points 1 and 3)
-- and art25.lua (point 2).
--
-- Used by art. 24 and art. 25.  It loops (over a partner's cooperations), as both articles do
-- anyway.
local M = {}

local PARTNER_ROLES = { partner = true, supplier = true }

-- Whether the request's subject is a partner or supplier — by subject.role, or by the role
-- the company's register (data section `subjects`) gives it: either suffices — and, if so,
-- its organisation: subject.org, else the register's org (nil when neither names one).
function M.partner(req, data)
  local subject = req.subject
  local id = subject.id
  local register = custos.field(data, "subjects")
  local entry = (id ~= nil and register ~= nil) and register[id] or nil
  if not PARTNER_ROLES[subject.role or ""]
     and not (entry ~= nil and PARTNER_ROLES[entry.role or ""]) then
    return false
  end
  return true, subject.org or (entry ~= nil and entry.org) or nil
end

-- Whether a cooperation has ended at `now` (its `ends` day is inclusive to its last second,
-- China Standard Time; no `ends`: it has not).
local function ended(coop, now)
  if coop.ends == nil then return false end
  return now > custos.date_end(coop.ends)
end
M.ended = ended

-- The cooperation this request is under: the one the custom field context.cooperation names,
-- else the partner's (org's) cooperation that lists the request's purpose, preferring one
-- that has not ended (ids in sorted order break ties).  Returns id, record; or nil and why:
-- "unknown-cooperation" and the id named, "no-cooperation" (none with this partner), or
-- "no-cooperation-for-purpose" and the partner's cooperation ids (a sorted list).
function M.resolve(req, data, org, now)
  local coops = custos.field(data, "cooperations")
  local named = custos.field(req, "context.cooperation")
  if named ~= nil then
    local c = coops ~= nil and coops[named] or nil
    if c == nil then return nil, "unknown-cooperation", named end
    return named, c
  end
  if coops == nil then return nil, "no-cooperation" end
  local ids = {}
  for cid, c in pairs(coops) do
    if c.partner == org then ids[#ids + 1] = cid end
  end
  if #ids == 0 then return nil, "no-cooperation" end
  table.sort(ids)
  local purpose, fallback = req.purpose, nil
  if purpose ~= nil then
    for _, cid in ipairs(ids) do
      local c = coops[cid]
      if custos.has(c.purposes, purpose) then
        if not ended(c, now) then return cid, c end
        fallback = fallback or cid
      end
    end
  end
  if fallback ~= nil then return fallback, coops[fallback] end
  return nil, "no-cooperation-for-purpose", ids
end

return M
