-- policies/mofcom-2009-13/art3.lua — 商务部、工业和信息化部令2009年第13号 第三条: what
-- confidential information (保密信息) is.  Guangzhou repeats it word for word as gz-2012 art. 3.
--
-- Text: the copy used had only a machine translation; text.zh is the order's Chinese as reprinted
-- in full by cn.chinagate.cn (2010-02-01), which matches the ministry's text reproduced by
-- big5.taiwan.cn (2010-01-22, from the MOFCOM website) and gz-2012 art. 3.
--
-- Reading (the same as gz-2012/art3.lua, so the two regimes classify data alike):
--  - A definition decides no act by itself: this rule ALWAYS returns not_applicable, its code
--    saying whether the data is confidential information and, if not, which condition
--    failed.  Arts. 4, 5 and 6 apply the same conditions themselves (a module cannot read
--    another module's verdict), with the code this rule uses: lib/confidential.lua.
--  - (一) resource.entrusted == true.
--         Not stated: derived from a contract the data holds, else unknown (the articles
--         refuse: lib/entrustment.lua).
--    (二) resource.protected_by_employer == true and resource.public ~= true.  Not stated: a
--         contract binding the contractor to confidentiality shows the employer's measures;
--         under a silent contract the fact is missing ("protection-not-stated") and arts.
--         4-6 refuse.
--    (三) the contract's `confidentiality`: false → not confidential information.  A contract
--         silent on it still binds: the rule rests on the Contract Law (art. 1), under which
--         the parties keep confidential what the nature and purpose of the contract require
--         even without a clause (合同法第六十条第二款, now 民法典第五百零九条第二款); and the
--         reading that protects the information is the safe one for a contractor.  A missing
--         or unknown contract is read the same way.

local confidential = require "confidential"

return article {
  number = "3",
  text = {
    zh = "第三条本规定所称保密信息是指符合以下条件的业务资料或数据:\n\n(一)接包方在承接服务外包业务过程中从发包方所获取;\n\n(二)发包方采取了保密措施且不为公众知悉;\n\n(三)接包方根据合同约定应当承担保密义务。",
    en = "Article 3  Confidential information, in these provisions, means business material "
      .. "or data that meets all of the following conditions:\n\n"
      .. "(1) the contractor obtained it from the employer in the course of undertaking the "
      .. "service outsourcing business;\n\n"
      .. "(2) the employer has taken confidentiality measures for it and it is not known to the "
      .. "public;\n\n"
      .. "(3) the contractor is bound by the contract to keep it confidential.",
  },
  citation = "商务部、工业和信息化部令2009年第13号 第三条",
  messages = custos.messages(confidential.MESSAGES, {
    ["confidential-contract-silent"] = {
      zh = "合同「{contract}」未明确约定保密义务;按照合同的性质和目的,接包方仍负有保密义务,该资料作为保密信息处理。",
      en = "Contract \"{contract}\" does not state a duty of confidentiality; by the nature and "
        .. "purpose of the contract the contractor is still bound to confidentiality, so the "
        .. "data is treated as confidential information.",
    },
    ["confidential-contract-unknown"] = {
      zh = "无法查明委托该资料的合同,按照有利于保护信息的方式,该资料作为保密信息处理。",
      en = "The contract the data was entrusted under cannot be read, so, erring on the side "
        .. "of protecting it, the data is treated as confidential information.",
    },
  }),
  rule = function(req, data)
    return not_applicable(confidential.classify(req, data))
  end,
}
