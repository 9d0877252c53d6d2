-- policies/miit-2011-21/lib/days.lua — day numbers: days since 1970-01-01 in China Standard
-- Time (UTC+08:00), the unit the dates of this regime are compared in.
--
-- Used by points 6 and 11 (art6.lua, art11.lua).  Loop-free.
local M = {}

local DAY, CST = 86400, 8 * 3600

-- Day number of a data date ("2025-09-15", or an RFC 3339 time: its day in UTC+08:00).  A
-- value that is neither is an error.
function M.of_date(s)
  local t = custos.date_start(s) or custos.instant(s)
  if t == nil then error("not a date: " .. tostring(s)) end
  return (t + CST) // DAY
end

-- Day number of the request's time.
function M.today(req)
  return (custos.now(req) + CST) // DAY
end

return M
