-- Walks a data value: how many values it holds (a library the fuzz regime's articles share).
local M = {}

function M.count(value)
  if type(value) ~= "table" then return 1 end
  local n = 1
  for _, v in pairs(value) do n = n + M.count(v) end
  return n
end

return M
