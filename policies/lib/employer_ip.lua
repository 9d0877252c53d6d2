-- policies/lib/employer_ip.lua — whether an act infringes the employer's intellectual property:
-- 穗外经贸法〔2012〕7号 第十九条 「接包方不得侵犯发包方依法享有的商标、专利、著作权等知识产权
-- 权利」 and its national source, 商务部、工业和信息化部令2009年第13号 第十二条.  The reading,
-- step by step, is in gz-2012/art19.lua; this is its steps 2-5 and the verdicts.
--
-- Used by gz-2012 art. 19 and mofcom-2009-13 art. 12, which both declare every code below in
-- their `messages` (M.MESSAGES).  Loop-free.
local acts = require "actions"
local contracts = require "contracts"

local M = {}

-- The verdict: not applicable when the resource embodies none of the employer's rights
-- ("no-employer-ip") or the act ends the holding ("ends-holding"); deny when the licence
-- cannot be read ("no-contract", "unknown-contract"), the act or its kind is unknown
-- ("no-action", "undeclared-action"), or the act exploits the rights beyond what the contract
-- licenses ("sale-or-promotion", "handover-outside-contract", "act-not-licensed");
-- otherwise not applicable ("within-licence").
function M.judge(req, data)
  local resource = req.resource
  local rights = resource.ip
  if rights == nil or #rights == 0 then return not_applicable("no-employer-ip") end
  local contract, code, params = contracts.required(req, data)
  if contract == nil then return deny(code, params) end
  local id = resource.contract
  -- 「发包方依法享有的」: the rights are the employer's when the resource is the employer's
  local owner = resource.owner
  if owner ~= nil and contract.employer ~= nil and owner ~= contract.employer then
    return not_applicable("no-employer-ip")
  end
  local action = req.action
  if action == nil then return deny("no-action", { contract = id }) end
  local declared = acts.declared(action, data)
  if declared == nil then return deny("undeclared-action", { action = action }) end
  local kind = declared.kind
  if kind == "delete" or acts.returns_to_employer(action, contract, req, data) then
    return not_applicable("ends-holding", { action = action })
  end
  local list = table.concat(rights, ", ")
  if declared.purpose ~= nil then
    return deny("sale-or-promotion", { action = action, rights = list })
  end
  if kind == "handover" or kind == "return" then
    local recipient = req.context.recipient
    if recipient == nil or not acts.within_circle(recipient, contract, req) then
      return deny("handover-outside-contract",
                  { action = action, rights = list, recipient = recipient or "?", contract = id })
    end
  end
  if not custos.has(contract.actions, action) then
    return deny("act-not-licensed", { action = action, rights = list, contract = id })
  end
  return not_applicable("within-licence", { action = action, contract = id })
end

M.MESSAGES = {
  ["no-employer-ip"] = {
    zh = "请求未说明该资料含有发包方享有的商标、专利、著作权等知识产权(resource.ip),本条不适用。",
    en = "The request does not say that the resource embodies the employer's trademarks, "
      .. "patents, copyrights or other intellectual property (resource.ip); this article does "
      .. "not apply.",
  },
  ["no-contract"] = {
    zh = "请求未指明合同,无法确认发包方许可使用其知识产权的范围,予以拒绝。",
    en = "The request names no contract, so the scope of the employer's licence of its "
      .. "intellectual property cannot be known; refused.",
  },
  ["unknown-contract"] = {
    zh = "找不到合同「{contract}」,无法确认发包方许可使用其知识产权的范围,予以拒绝。",
    en = "No contract \"{contract}\" is known, so the scope of the employer's licence of its "
      .. "intellectual property cannot be known; refused.",
  },
  ["no-action"] = {
    zh = "请求未指明行为,无法确认其在合同「{contract}」许可的范围内。",
    en = "The request names no act, so it cannot be shown to be within the licence of "
      .. "contract \"{contract}\".",
  },
  ["undeclared-action"] = {
    zh = "未声明「{action}」这一行为的作用,无法确认其不侵犯发包方的知识产权,予以拒绝。",
    en = "What \"{action}\" does is not declared, so it cannot be shown not to infringe the "
      .. "employer's intellectual property; refused.",
  },
  ["ends-holding"] = {
    zh = "「{action}」是删除或归还资料,不侵犯发包方的知识产权。",
    en = "\"{action}\" deletes or returns the material; it does not infringe the employer's "
      .. "intellectual property.",
  },
  ["sale-or-promotion"] = {
    zh = "「{action}」是以出售或促销利用含有发包方知识产权({rights})的资料,侵犯发包方依法享有的知识产权。",
    en = "\"{action}\" exploits material embodying the employer's intellectual property "
      .. "({rights}) for sale or promotion, infringing the employer's rights.",
  },
  ["handover-outside-contract"] = {
    zh = "「{action}」将含有发包方知识产权({rights})的资料交给合同「{contract}」以外的「{recipient}」,侵犯发包方依法享有的知识产权。",
    en = "\"{action}\" hands material embodying the employer's intellectual property "
      .. "({rights}) to \"{recipient}\", outside contract \"{contract}\", infringing the "
      .. "employer's rights.",
  },
  ["act-not-licensed"] = {
    zh = "合同「{contract}」未许可「{action}」;超出许可使用含有发包方知识产权({rights})的资料,侵犯发包方依法享有的知识产权。",
    en = "Contract \"{contract}\" does not license \"{action}\"; using material embodying the "
      .. "employer's intellectual property ({rights}) beyond the licence infringes the "
      .. "employer's rights.",
  },
  ["within-licence"] = {
    zh = "「{action}」在合同「{contract}」许可的范围内,不侵犯发包方的知识产权。",
    en = "\"{action}\" is within the licence of contract \"{contract}\"; it does not infringe "
      .. "the employer's intellectual property.",
  },
}

return M
