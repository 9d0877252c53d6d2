-- policies/miit-2011-21/lib/providers.lua — the service provider (服务机构) a request is about,
-- and its record in the `providers` data: resource.provider (a custom field), else
-- subject.org (a provider acting for itself).
--
-- Used by points 4, 6 and 11 (art4.lua, art6.lua, art11.lua), which all declare the two
-- denial codes, "no-provider" and "unknown-provider" {provider}, with their own wording.
-- Loop-free.
local M = {}

-- The provider's id, or nil when the request names none.  A resource.provider that is not a
-- non-empty string is an error (the decision fails closed with it listed).
local function provider_of(req)
  local named = custos.field(req, "resource.provider")
  if named ~= nil then
    if type(named) ~= "string" or named == "" then
      error("resource.provider must be a provider id (a non-empty string), got " .. type(named))
    end
    return named
  end
  return req.subject.org
end

-- The provider and its record; or the provider (nil when none is named), nil, and the message
-- code and params of the denial: "no-provider", or "unknown-provider" {provider} when the
-- `providers` data does not hold it (fail closed).
function M.find(req, data)
  local provider = provider_of(req)
  if provider == nil then return nil, nil, "no-provider" end
  local providers = data.providers
  local record = providers and providers[provider]
  if record == nil then return provider, nil, "unknown-provider", { provider = provider } end
  return provider, record
end

return M
