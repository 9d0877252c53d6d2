-- policies/lib/entrustment.lua — whether the data acted on was entrusted by an employer under
-- an outsourcing contract (受委托的商业及个人资料; 从发包方所获取), the fact on which every
-- gz-2012 article and mofcom-2009-13 arts. 3-6 turn to decide whether they apply.
--
-- No silent gaps: an article must not fall silent (not_applicable) because the request leaves
-- out a fact the data can establish, or that it needs to know whether it applies.  So:
--   - resource.entrusted stated (true / false): the host's word;
--   - not stated, and the resource names a contract the data holds: the data establishes it —
--     a resource under a contract the data knows was entrusted under it (derived);
--   - not stated, and the resource names a contract the data does not hold: whether it was
--     entrusted cannot be known; the articles refuse, naming the missing fact;
--   - not stated, and no contract named: nothing ties the resource to an employer (the
--     requests of the other regimes: logins, gradings, filings): not entrusted.
--
-- Used by gz-2012 arts. 9-13 and lib/confidential.lua (gz-2012 arts. 3, 4, 5, 7;
-- mofcom-2009-13 arts. 3-6).  Loop-free.
local M = {}

-- true (entrusted, stated or derived from the data), false (not entrusted), or nil (unknown:
-- the request names a contract the data does not hold and does not say).
function M.entrusted(req, data)
  local resource = req.resource
  local stated = resource.entrusted
  if stated ~= nil then return stated end
  local id = resource.contract
  if id == nil then return false end
  local contracts = data and data.contracts
  if contracts ~= nil and contracts[id] ~= nil then return true end
  return nil
end

-- The message each article using M.entrusted declares for the unknown case (code
-- "entrustment-unknown", param contract); an article may reword it with custos.messages.
M.MESSAGES = {
  ["entrustment-unknown"] = {
    zh = "请求未说明资料是否为发包方委托的资料(resource.entrusted),其所指合同「{contract}」也不在数据中,无法确认本条是否适用,予以拒绝。",
    en = "The request does not say whether the data was entrusted by an employer "
      .. "(resource.entrusted), and the contract it names, \"{contract}\", is not in the data, "
      .. "so whether this article applies cannot be known; refused.",
  },
}

return M
