-- policies/lib/actions.lua — what each act does to the data, declared once for every article
-- that must judge an act by what it does rather than by its name: 穗外经贸法〔2012〕7号 第十三条
-- (「开展促销、出售和披露等」: the 「等」 leaves the list open, so an act is caught by what it does —
-- who ends up with the data, for what — whatever the host calls it), 第四条 and 商务部、工业和信
-- 息化部令2009年第13号 第四条 (「披露……或者允许他人使用」), and the articles that treat deleting and
-- returning the data apart (gz-2012 arts. 10, 11, 12).
--
-- Why a library table and not policies/schema.lua: the schema holds only `types`, `request`
-- and `data` declarations (the engine refuses any other key), and a rule cannot read the
-- schema's declarations at decision time; a request-field enum would make an unknown act an
-- input error rather than a denial that names it, and would refuse the other regimes' acts
-- (login, grade, ...).  Making the schema carry a per-value table the rules read needs the
-- engine (core/src/schema.c, bundle.c).  So the kinds live here, once, and a host may declare
-- its own act names in the data section `actions` (declared in policies/schema.lua:
-- `actions: {my-act: {kind: handover}}`); a name shipped here cannot be redeclared by data.
--
-- Kinds:
--   use       the contractor uses the data itself (read, process, analyse, ...);
--   store     it keeps the data or another copy of it (store, copy, back up, archive);
--   handover  it puts the data in someone else's hands (disclose, transfer, share, provide,
--             export, sell, publish, ...): who receives it is the request's context.recipient;
--   delete    it destroys the data;
--   return    it gives the data back to the employer (the recipient is the employer).
-- `purpose`, when given, is what the act is for by its very nature: selling is a sale
-- (purpose "sale"), promoting is promotion ("promotion"), whoever receives the data.
--
-- Used by gz-2012 arts. 4, 10, 11, 12, 13 and lib/contract_use.lua (gz-2012 and mofcom-2009-13
-- art. 4).  Loop-free.
local M = {}

local USE, STORE, HANDOVER, DELETE, RETURN = "use", "store", "handover", "delete", "return"

-- The shipped declarations: the names the example data, the suites and common hosts use.
local DECLARED = {
  use = { kind = USE }, process = { kind = USE }, access = { kind = USE },
  read = { kind = USE }, view = { kind = USE }, analyse = { kind = USE },
  analyze = { kind = USE }, query = { kind = USE },
  store = { kind = STORE }, copy = { kind = STORE }, backup = { kind = STORE },
  archive = { kind = STORE },
  disclose = { kind = HANDOVER }, transfer = { kind = HANDOVER }, share = { kind = HANDOVER },
  provide = { kind = HANDOVER }, export = { kind = HANDOVER }, publish = { kind = HANDOVER },
  send = { kind = HANDOVER }, upload = { kind = HANDOVER },
  sell = { kind = HANDOVER, purpose = "sale" },
  promote = { kind = USE, purpose = "promotion" },
  delete = { kind = DELETE }, destroy = { kind = DELETE }, erase = { kind = DELETE },
  ["return"] = { kind = RETURN },
}

local KINDS = { use = true, store = true, handover = true, delete = true, ["return"] = true }

-- The declaration of an act: a table {kind, purpose?}, or nil when neither this table nor the
-- data's `actions` section declares it with a known kind.
function M.declared(action, data)
  if action == nil then return nil end
  local d = DECLARED[action]
  if d ~= nil then return d end
  local section = data and custos.field(data, "actions")
  d = section and section[action]
  if d ~= nil and KINDS[d.kind] then return d end
  return nil
end

-- The kind of an act ("use", "store", "handover", "delete", "return"), or nil (undeclared).
function M.kind(action, data)
  local d = M.declared(action, data)
  return d and d.kind
end

-- Whether the act gives the data back to the employer: kind "return", to no other recipient
-- than the employer (the resource's `owner` or the contract's `employer`; none named: the
-- employer, as returning means).  A "return" to anyone else is a hand-over (art. 13).
function M.returns_to_employer(action, contract, req, data)
  if M.kind(action, data) ~= RETURN then return false end
  local recipient = req.context.recipient
  return recipient == nil or recipient == req.resource.owner
    or (contract ~= nil and recipient == contract.employer)
end

-- Whether the recipient is within the contract's circle: the employer itself (the contract's
-- `employer`, or the resource's `owner`), a party the contract names as a recipient
-- (`recipients`, e.g. the employer's auditor), or one of the people the contract names
-- (`subjects`: passing the data among them hands it to no one outside).  `contract` may be nil
-- (then only the owner is known to be within).
function M.within_circle(recipient, contract, req)
  if recipient == req.resource.owner then return true end
  if contract == nil then return false end
  return recipient == contract.employer or custos.has(contract.recipients, recipient)
    or custos.has(contract.subjects, recipient)
end

return M
