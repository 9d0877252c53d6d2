-- policies/gz-2012/art3.lua — 穗外经贸法〔2012〕7号 第三条: what confidential information (保密
-- 信息) is.  Implements 商务部、工业和信息化部令2009年第13号 第三条 word for word.
--
-- Reading:
--  - A definition decides no act by itself: it neither permits nor forbids anything, so this
--    rule ALWAYS returns not_applicable.  Its code says whether the data is confidential
--    information and, if not, which condition failed; `custos decide --explain` shows it.
--    Arts. 4, 5 and 7 (which speak of 保密信息) apply the same three conditions themselves —
--    a module cannot read another module's verdict — with the code this rule uses,
--    lib/confidential.lua, so all of them follow the reading below.
--  - The three conditions must hold together ("符合以下条件"):
--    (一) obtained from the employer in the outsourcing work: resource.entrusted == true.
--         Not stated in the request: a resource under a contract
--         the data holds was entrusted under it (derived: lib/entrustment.lua); under a
--         contract the data does not hold it cannot be known ("entrustment-unknown": the
--         articles protecting confidential information refuse — no silent gap).
--    (二) the employer took confidentiality measures and it is not publicly known:
--         resource.protected_by_employer == true and resource.public ~= true.  When the host
--         does not state the measures, a contract binding the contractor to confidentiality
--         (`confidentiality: true`) shows them: the clause is itself a measure the employer
--         took.  Under a contract silent on confidentiality nothing shows them: the fact is
--         missing ("protection-not-stated") and arts. 4, 5 and 7 refuse rather than fall
--         silent — the same protective direction as (三), where a silent contract binds.
--         Stated false: not confidential.  "Publicly known" is the exception: absent public
--         means not shown to be public.  The conditions hold together, so a condition stated
--         to fail (public, protection false, confidentiality false) decides before a missing
--         fact does.
--    (三) the contract binds the contractor to confidentiality: the contract's
--         `confidentiality`.  false → not confidential information.  A contract silent on it
--         (no `confidentiality` field) still binds: art. 10 ¶2 tells the contractor to act on
--         the principle that best protects the information where the contract makes no or an
--         unclear agreement, and the Contract Law these measures rest on (art. 1; 合同法第六十
--         条第二款, now 民法典第五百零九条第二款) imposes confidentiality by good faith even
--         without a clause.  A request naming no contract, or one the data does not hold,
--         cannot show the contract's terms; read the same protective way (art. 10 refuses the
--         act itself for the missing contract).
--  - Categories (personal, commercial, technical) and classification levels do not enter
--    the definition: 业务资料或数据 is any business material or data.

local confidential = require "confidential"

return article {
  number = "3",
  text = {
    -- Quoted from the notice as published, with its ASCII colon, semicolons, blank lines.
    zh = "第三条 本办法所称保密信息是指符合以下条件的业务资料或数据:\n\n(一)接包方在承接服务外包业务过程中从发包方所获取;\n\n(二)发包方采取了保密措施且不为公众知悉;\n\n(三)接包方根据合同约定应当承担保密义务。",
    en = "Article 3  Confidential information, in these measures, means business material or "
      .. "data that meets all of the following conditions:\n\n"
      .. "(1) the contractor obtained it from the employer in the course of undertaking the "
      .. "service outsourcing business;\n\n"
      .. "(2) the employer has taken confidentiality measures for it and it is not known to the "
      .. "public;\n\n"
      .. "(3) the contractor is bound by the contract to keep it confidential.",
  },
  citation = "穗外经贸法〔2012〕7号 第三条",
  implements = { { regime = "mofcom-2009-13", article = "3" } },
  messages = custos.messages(confidential.MESSAGES, {
    ["confidential-contract-silent"] = {
      zh = "合同「{contract}」未约定保密义务;合同没有约定的,依照有利于保护保密信息的原则(第十条第二款),该资料作为保密信息处理。",
      en = "Contract \"{contract}\" says nothing about confidentiality; where the contract is "
        .. "silent the principle that best protects the information applies (article 10, "
        .. "paragraph 2), so the data is treated as confidential information.",
    },
    ["confidential-contract-unknown"] = {
      zh = "无法查明委托该资料的合同,依照有利于保护保密信息的原则,该资料作为保密信息处理。",
      en = "The contract the data was entrusted under cannot be read, so on the principle that "
        .. "best protects the information the data is treated as confidential information.",
    },
  }),
  rule = function(req, data)
    return not_applicable(confidential.classify(req, data))
  end,
}
