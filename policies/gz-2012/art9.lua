-- policies/gz-2012/art9.lua — 穗外经贸法〔2012〕7号 第九条: when a foreign employer entrusts the
-- work, the contractor collects and processes the foreign commercial and personal data
-- lawfully and fairly, and strictly complies with the laws and regulatory requirements of
-- every region the contract touches.  Guangzhou's own article: the national rule has no
-- counterpart.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. Applies to entrusted data (the commercial and personal data the foreign employer
--     entrusted), confidential or not; anything else is not applicable.
--  2. Whether the employer is foreign (境外发包方) is the contract's `foreign_employer`; the
--     contract is needed to know it, so a request naming no contract, or an unknown one, is
--     denied (fail closed).  A domestic employer (false) leaves the article nothing to
--     decide: not applicable.  A contract that does not say (no `foreign_employer`) leaves
--     unknown whether the article applies at all; no silent gap: deny, naming the missing
--     fact ("employer-origin-unstated"), until the contract says.
--  3. "合同涉及地区": the regions the contract touches are the contract's `regions`.  A
--     foreign employer's contract that names no region: the article imposes a duty
--     (「严格遵守合同涉及地区法律法规监管要求」) and forbids no act, so a contract that does not
--     list its regions does not make the processing unlawful; the regions whose law the act
--     touches are then those the request names (context.regions): permit, with the duty to
--     comply with their law ("regions-from-request").  Only when neither the contract nor the
--     request names any region is there no law the duty could be discharged under: deny,
--     naming the missing fact ("regions-unstated").  (Decided against the earlier reading,
--     which refused every act under such a contract.)
--  4. The request's `context.regions` are the regions whose law the act touches.  An act
--     reaching a region the contract does not cover cannot be shown to comply with a law the
--     parties agreed to follow: deny, naming the first such region.
--  5. Otherwise permit, with the obligation "comply-with-regions" listing the contract's
--     regions (param `regions`, comma-separated: obligation params are scalars).  The
--     lawfulness and fairness of collection and processing, and each region's own rules,
--     are not described by the request; the obligation hands them to the host.

local entrustment = require "entrustment"
local contracts = require "contracts"

return article {
  number = "9",
  text = {
    zh = "第九条 接包方接受境外发包方委托,应以合法及公平的方式收集、处理涉及境外商业及个人资料,严格遵守合同涉及地区法律法规监管要求,做好信息资料和安全和保护。",
    en = "Article 9  A contractor entrusted by a foreign employer shall collect and process "
      .. "the foreign commercial and personal data concerned lawfully and fairly, strictly "
      .. "comply with the laws, regulations and regulatory requirements of the regions the "
      .. "contract concerns, and keep the information and data safe and protected.",
  },
  citation = "穗外经贸法〔2012〕7号 第九条",
  obligations = { "comply-with-regions" },
  messages = custos.messages(entrustment.MESSAGES, {
    ["not-entrusted"] = {
      zh = "该资料不是发包方委托的资料,第九条不适用。",
      en = "The data was not entrusted by an employer; article 9 does not apply.",
    },
    ["no-contract"] = {
      zh = "请求未指明服务外包合同,无法确认发包方是否在境外及合同涉及哪些地区,予以拒绝。",
      en = "The request names no outsourcing contract, so whether the employer is foreign "
        .. "and which regions the contract concerns cannot be known; refused.",
    },
    ["unknown-contract"] = {
      zh = "找不到合同「{contract}」,无法确认发包方是否在境外及合同涉及哪些地区,予以拒绝。",
      en = "No contract \"{contract}\" is known, so whether the employer is foreign and which "
        .. "regions it concerns cannot be known; refused.",
    },
    ["domestic-employer"] = {
      zh = "合同约定发包方不是境外发包方,第九条不适用。",
      en = "The contract says the employer is not a foreign employer; article 9 does not "
        .. "apply.",
    },
    ["employer-origin-unstated"] = {
      zh = "合同「{contract}」未说明发包方是否为境外发包方(foreign_employer),无法确认第九条是否适用,予以拒绝。",
      en = "Contract \"{contract}\" does not say whether the employer is foreign "
        .. "(foreign_employer), so whether article 9 applies cannot be known; refused.",
    },
    ["regions-unstated"] = {
      zh = "合同「{contract}」的发包方在境外,但合同未约定涉及哪些地区,请求也未指明该行为涉及的地区,无法确认应遵守哪些地区的法律法规,予以拒绝。",
      en = "The employer of contract \"{contract}\" is foreign, but neither the contract nor the "
        .. "request says which regions are concerned, so the laws to comply with cannot be "
        .. "known; refused.",
    },
    ["regions-from-request"] = {
      zh = "合同「{contract}」的发包方在境外,合同未列明涉及的地区;该行为涉及{regions},应以合法及公平的方式收集、处理资料,严格遵守这些地区的法律法规监管要求。",
      en = "The employer of contract \"{contract}\" is foreign and the contract lists no region; "
        .. "the act touches {regions}, so the data must be collected and processed lawfully "
        .. "and fairly, in strict compliance with the laws and regulatory requirements of "
        .. "those regions.",
    },
    ["region-outside-contract"] = {
      zh = "该行为涉及地区「{region}」,不在合同「{contract}」涉及的地区({regions})之内,无法确认符合该地区法律法规的监管要求。",
      en = "The act reaches the region \"{region}\", which is not among the regions contract "
        .. "\"{contract}\" concerns ({regions}); compliance with that region's law cannot be "
        .. "shown.",
    },
    ["foreign-employer"] = {
      zh = "合同「{contract}」的发包方在境外:应以合法及公平的方式收集、处理资料,严格遵守合同涉及地区({regions})的法律法规监管要求。",
      en = "The employer of contract \"{contract}\" is foreign: the data must be collected and "
        .. "processed lawfully and fairly, in strict compliance with the laws and regulatory "
        .. "requirements of the regions the contract concerns ({regions}).",
    },
  }),
  rule = function(req, data)
    local entrusted = entrustment.entrusted(req, data)
    if entrusted == nil then
      return deny("entrustment-unknown", { contract = req.resource.contract })
    end
    if not entrusted then return not_applicable("not-entrusted") end
    local contract, code, params = contracts.required(req, data)
    if contract == nil then return deny(code, params) end
    local id = req.resource.contract
    local foreign = contract.foreign_employer
    if foreign == nil then return deny("employer-origin-unstated", { contract = id }) end
    if not foreign then
      return not_applicable("domestic-employer") -- a common path: no params, no allocation
    end

    local covered = contract.regions
    if covered == nil or #covered == 0 then
      local touched = req.context.regions
      if touched == nil or #touched == 0 then
        return deny("regions-unstated", { contract = id })
      end
      local named = {}
      for i, region in ipairs(touched) do named[i] = region end
      local regions = table.concat(named, ", ")
      return permit("regions-from-request", { contract = id, regions = regions },
                    { { id = "comply-with-regions", regions = regions } })
    end
    local names = {}
    for i, region in ipairs(covered) do names[i] = region end
    local regions = table.concat(names, ", ")

    local touched = req.context.regions
    if touched ~= nil then
      for _, region in ipairs(touched) do
        if not custos.has(covered, region) then
          return deny("region-outside-contract",
                      { region = region, regions = regions, contract = id })
        end
      end
    end
    return permit("foreign-employer", { contract = id, regions = regions },
                  { { id = "comply-with-regions", regions = regions } })
  end,
}
