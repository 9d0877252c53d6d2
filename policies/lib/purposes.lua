-- policies/lib/purposes.lua — how the purpose a request states (`req.purpose`) stands under
-- the contract: stated by it, narrower than or related to a stated purpose (the data's
-- `purposes` catalogue, the contract's `related_purposes`), or consented to by the employer.
--
-- Used by gz-2012 art. 11.  Loops over the contract's stated purposes, so an article using it
-- is metered per instruction.
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
function M.basis(contract, req, data)
  local purpose = req.purpose
  if purpose == nil then return nil end
  if custos.has(contract.purposes, purpose) then return "stated" end
  local stated = contract.purposes
  local catalogue = data and custos.field(data, "purposes")
  local own = catalogue and catalogue[purpose]
  local broader_than
  if stated then
    for i = 1, #stated do
      local entry = catalogue and catalogue[stated[i]]
      if entry and custos.has(entry.narrower, purpose) or own and custos.has(own.broader, stated[i]) then
        return "narrower", stated[i]
      end
      if entry and custos.has(entry.broader, purpose) or own and custos.has(own.narrower, stated[i]) then
        broader_than = broader_than or stated[i]
      end
    end
    local related = contract.related_purposes
    if related then
      for i = 1, #stated do
        -- index directly: purpose ids may contain dots
        if custos.has(related[stated[i]], purpose) then return "related", stated[i] end
      end
    end
    if catalogue then
      for i = 1, #stated do
        local entry = catalogue[stated[i]]
        if entry and custos.has(entry.related, purpose) then return "related", stated[i] end
      end
    end
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
