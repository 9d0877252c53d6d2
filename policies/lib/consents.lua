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

return M
