-- policies/lib/consents.lua — the employer's consent a request carries (`req.context.consent`):
-- whether it is valid at the request's time.
--
-- Used by lib/purposes.lua (consented purposes, gz-2012 art. 11).  Loop-free.
local M = {}

-- Whether the request's time falls in a consent's validity window (valid_from / valid_until,
-- dates inclusive in China Standard Time; a missing bound is open on that side).
function M.valid(consent, req)
  local now = req.context.epoch
  local from, until_date = consent.valid_from, consent.valid_until
  if from ~= nil and now < custos.date_start(from) then return false end
  if until_date ~= nil and now > custos.date_end(until_date) then return false end
  return true
end

-- Whose consent it is, against the party whose consent the article asks for (`party`: the
-- employer, 发包方, for gz-2012 art. 11): true when `consent.by` names that party; otherwise
-- false and why — "consent-giver-unstated" (the consent does not say who gave it, so it
-- cannot be shown to be the party's), "consent-party-unknown" (the data does not say who the
-- party is), "consent-not-by-party" (someone else gave it: the contractor itself, a third
-- party).  A consent counts only when given by the party whose consent the text names.
function M.given_by(consent, party)
  local by = consent.by
  if by == nil or by == "" then return false, "consent-giver-unstated" end
  if party == nil then return false, "consent-party-unknown" end
  if by ~= party then return false, "consent-not-by-party" end
  return true
end

return M
