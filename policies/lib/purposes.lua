-- policies/lib/purposes.lua — how the purpose a request states (`req.purpose`) stands under
-- the contract: stated by it, narrower than or related to a stated purpose (the data's
-- `purposes` catalogue, the contract's `related_purposes`), or consented to by the employer.
--
-- Used by gz-2012 art. 11.  Loop-free: the walks over the contract's stated purposes are
-- recursive (see below), so an article using it is metered per call.
local consents = require "consents"

local M = {}

-- How the request's purpose stands under the contract, with the stated purpose it was judged
-- against where there is one:
--   "stated"                 the contract states it;
--   "narrower", stated       the catalogue declares it narrower than a stated purpose (its
--                            `narrower` list, or the purpose's own `broader` list): within it;
--   "related", stated        one step from a stated purpose, declared by the contract's
--                            `related_purposes` (preferred) or the catalogue's `related`;
--                            related-of-related is not related;
--   "consented"              listed in the employer's consent — given by the employer
--                            (`consent.by` equal to the contract's `employer`, else the
--                            resource's `owner`) — and the consent is valid now;
--   nil, "broader", stated   declared broader than a stated purpose: not within it;
--   nil, "consent-not-valid" consented to, but outside the consent's validity window;
--   nil, why, by             a consent that lists the purpose but is not the employer's:
--                            why is "consent-giver-unstated" (it names no giver),
--                            "consent-party-unknown" (neither the contract nor the resource
--                            names the employer) or "consent-not-by-party" (by someone else);
--   nil                      none of these.
-- The walks over the stated purposes are recursive, not loops: each step is a call, so an
-- article using this library stays loop-free and is metered per call, not per instruction
-- (docs/design.md, "Sound metering").

-- The first stated purpose (from the i-th on) the purpose is narrower than, or nil and the
-- first one it is broader than (carried in broader_than).
local function narrower_than(stated, i, catalogue, own, purpose, broader_than)
  local s = stated[i]
  if s == nil then return nil, broader_than end
  local entry = catalogue and catalogue[s]
  if entry and custos.has(entry.narrower, purpose) or own and custos.has(own.broader, s) then
    return s
  end
  if entry and custos.has(entry.broader, purpose) or own and custos.has(own.narrower, s) then
    broader_than = broader_than or s
  end
  return narrower_than(stated, i + 1, catalogue, own, purpose, broader_than)
end

-- The first stated purpose (from the i-th on) whose declared related purposes (related[s],
-- read through `entry` when given: the catalogue's entries) list the purpose.
local function related_to(stated, i, related, entry, purpose)
  local s = stated[i]
  if s == nil then return nil end
  local declared = related[s] -- index directly: purpose ids may contain dots
  if entry then declared = declared and declared.related end
  if custos.has(declared, purpose) then return s end
  return related_to(stated, i + 1, related, entry, purpose)
end

function M.basis(contract, req, data)
  local purpose = req.purpose
  if purpose == nil then return nil end
  if custos.has(contract.purposes, purpose) then return "stated" end
  local stated = contract.purposes
  local catalogue = data and custos.field(data, "purposes")
  local own = catalogue and catalogue[purpose]
  local broader_than
  if stated then
    local narrower
    narrower, broader_than = narrower_than(stated, 1, catalogue, own, purpose, nil)
    if narrower then return "narrower", narrower end
    local related = contract.related_purposes
    local s = related and related_to(stated, 1, related, false, purpose)
    if s then return "related", s end
    s = catalogue and related_to(stated, 1, catalogue, true, purpose)
    if s then return "related", s end
  end
  local consent = req.context.consent
  if consent and custos.has(consent.purposes, purpose) then
    local employer = contract.employer or req.resource.owner
    local ok, why = consents.given_by(consent, employer)
    if not ok then return nil, why, consent.by end
    if consents.valid(consent, req) then return "consented" end
    return nil, "consent-not-valid"
  end
  if broader_than then return nil, "broader", broader_than end
  return nil
end

return M
