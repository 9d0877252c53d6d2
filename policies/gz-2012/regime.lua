-- policies/gz-2012/regime.lua — 广州市服务外包企业信息安全保护实施办法 (穗外经贸法〔2012〕7号).
--
-- Source: the notice as posted on 2012-05-07 (发布时间) by the Guangzhou service trade and
-- outsourcing association's public service platform, signed 二〇一二年四月二十四日 by 市外经贸局,
-- 市科信局 and 市知识产权局.  The source's copy of the
-- document number lost its closing bracket ("穗外经贸法〔20127"); the number is 穗外经贸法〔2012〕7号.
--
-- Validity (art. 20): 「本办法自发布之日起施行,有效期五年」.  Two dates could be "发布之日": the
-- notice 「关于印发《广州市服务外包企业信息安全保护实施办法》的通知」, dated 二〇一二年四月二十四日,
-- by which the three bureaus issued (印发) the measures; and 2012-05-07, the 发布时间 of the web
-- page the text was taken from.  The measures are published by their issuers, and the notice is
-- that act of publication (it sends them to the bodies bound, 「请遵照执行」); the web page is a
-- later posting by the industry association's platform (its footer: 广州服务贸易与服务外包行业
-- 协会版权所有), not by the issuers.  So: in force from 2012-04-24, for five years: the last day
-- in force is 2017-04-23.  The engine applies this window from `effective` and `expires` (both
-- dates in China Standard Time, `expires` inclusive to its last second); art. 20 therefore has
-- no module.  (tests/validity.yaml pins both sides: in force on 2012-05-06, ended by
-- 2017-05-06.)
--
-- The measures implement the national rule 商务部、工业和信息化部令2009年第13号 (regime
-- mofcom-2009-13): gz art. 3 ↔ mofcom art. 3, gz art. 4 ↔ mofcom art. 4, gz art. 5 ↔ mofcom
-- art. 6, gz art. 7 ↔ mofcom art. 5, gz art. 19 ↔ mofcom art. 12; those modules declare
-- `implements`, so their reasons cite the national article too.  Arts. 9, 10, 11, 12 and 13 are Guangzhou's own and have no
-- national counterpart.
--
-- How the encoded articles speak (one convention for the whole regime):
--  - Art. 3 is a definition: it always returns not_applicable, its code saying whether the
--    data is confidential information (visible with --explain).  Arts. 4, 5 and 7 apply the
--    same three conditions themselves (a module cannot read another's verdict).
--  - Articles that only forbid or set a precondition (4, 5, 13, 19) deny or say nothing
--    (not_applicable); they never permit.
--  - Articles that grant (10, 11) or attach duties to an allowed act (7: log-access and
--    encrypt-at-rest; 9: comply-with-regions; 12: log-access and backup) permit, since
--    obligations ride only on a permit that wins.
--  - Every article that needs the contract to decide denies when it is missing or unknown
--    (fail closed), so such a request is refused by each of them, each saying why.
-- Whom the regime binds — the Guangzhou enterprises undertaking outsourcing (art. 1) — is stated by the data: lib/scope.lua looks up the
-- contractor in the data section `contractors`; `applies` skips every article for one it does
-- not bind.
local scope = require "scope"

return regime {
  id = "gz-2012",
  title = {
    zh = "广州市服务外包企业信息安全保护实施办法",
    en = "Implementing Measures of Guangzhou Municipality for the Information Security "
      .. "Protection of Service Outsourcing Enterprises",
  },
  document = "穗外经贸法〔2012〕7号",
  issuers = {
    "广州市对外贸易经济合作局",   -- 市外经贸局
    "广州市科技和信息化局",       -- 市科信局
    "广州市知识产权局",           -- 市知识产权局
  },
  issued = "2012-04-24",
  effective = "2012-04-24",
  expires = "2017-04-23",
  source = "穗外经贸法〔2012〕7号, the notice of 2012-04-24 as posted on 2012-05-07",
  notes = "Art. 20: in force from publication — the issuing notice of 2012-04-24, not the "
    .. "website's posting of 2012-05-07 — valid for five years; the last day in force is "
    .. "2017-04-23.  A host may still adopt the measures as company policy after "
    .. "they expired (the engine's default); decisions report in_force either way.  "
    .. "Art. 3 (definition) never decides by itself: it reports whether the data is "
    .. "confidential information; a contract silent on confidentiality is read as binding "
    .. "(art. 10 para. 2); the employer's protection (resource.protected_by_employer), when the "
    .. "host does not state it, is shown by a contract binding the contractor to "
    .. "confidentiality, and otherwise is a missing fact on which arts. 4, 5 and 7 refuse.  "
    .. "resource.entrusted, when not stated, is derived from a contract the data holds; a "
    .. "contract the data does not hold leaves it unknown, and every article refuses.  Arts. 4 and 5 forbid or set preconditions and never "
    .. "permit; arts. 7, 9 and 12 permit with obligations (log-access, encrypt-at-rest, "
    .. "comply-with-regions, backup).  Custom request fields read: "
    .. "context.recipient_org (art. 7), resource.important (art. 7).",
  messages = scope.GUANGZHOU_MESSAGES,
  applies = function(req, data)
    local outside, params = scope.guangzhou(req, data)
    if outside ~= nil then return not_applicable(outside, params) end
  end,
  articles = {
    { number = "1",
      title = { zh = "目的和依据", en = "Purpose and legal basis" },
      encoded = false,
      reason = "States why the measures were made and on which laws they rest, and whom they "
        .. "bind: 「承接服务外包业务的广州市企业」.  That scope is the regime's `applies` "
        .. "(lib/scope.lua: a contractor whose record in the data section `contractors` gives "
        .. "another city is outside the measures, and no article is consulted); the article "
        .. "has no module of its own." },
    { number = "2",
      title = { zh = "承接服务外包业务的定义", en = "What undertaking service outsourcing means" },
      encoded = false,
      reason = "Defines the outsourcing business (and the terms 接包方 / 发包方) the measures cover; "
        .. "a definition the other articles use (the request's resource.entrusted and contract "
        .. "stand for it), it decides nothing per request." },
    { number = "3",
      title = { zh = "保密信息的定义", en = "Definition of confidential information" },
      encoded = true },
    { number = "4",
      title = { zh = "不得违约披露、使用保密信息",
                en = "No disclosure or use of confidential information against the contract" },
      encoded = true },
    { number = "5",
      title = { zh = "保密协议和竞业禁止协议",
                en = "Confidentiality and non-compete agreements" },
      encoded = true },
    { number = "6",
      title = { zh = "信息安全培训", en = "Information security training" },
      encoded = false,
      reason = "A standing duty to train staff in information security; an organisational "
        .. "obligation with no per-request question to decide." },
    { number = "7",
      title = { zh = "信息保护机构和保密措施",
                en = "Information protection body and confidentiality measures" },
      encoded = true },
    { number = "8",
      title = { zh = "内部信息安全管理体系的检查和改进",
                en = "Inspection and improvement of the internal security management system" },
      encoded = false,
      reason = "A standing duty to inspect, maintain and improve the internal information "
        .. "security system; decides nothing per request." },
    { number = "9",
      title = { zh = "境外发包方的商业及个人资料",
                en = "Commercial and personal data of foreign employers" },
      encoded = true },
    { number = "10",
      title = { zh = "使用主体、使用方式、使用范围和保存时间",
                en = "Who may use confidential information, how, how widely and how long" },
      encoded = true },
    { number = "11",
      title = { zh = "受委托资料的用途限制", en = "Purpose limitation of entrusted data" },
      encoded = true },
    { number = "12",
      title = { zh = "受委托资料的安全保障", en = "Safeguarding entrusted data" },
      encoded = true },
    { number = "13",
      title = { zh = "不得利用受委托资料促销、出售和披露",
                en = "No promotion, sale or disclosure using entrusted data" },
      encoded = true },
    { number = "14",
      title = { zh = "鼓励获取信息安全认证", en = "Encouragement of information security certification" },
      encoded = false,
      reason = "Encourages adopting best practice and obtaining certification; an "
        .. "encouragement, not a rule any single act can break." },
    { number = "15",
      title = { zh = "对通过信息安全认证企业的政策支持",
                en = "Policy support for certified enterprises" },
      encoded = false,
      reason = "Addressed to the authorities (policy support for certified enterprises); "
        .. "decides nothing about a contractor's handling of data." },
    { number = "16",
      title = { zh = "行业协会发布和通报信息安全状况",
                en = "Reporting by the industry association" },
      encoded = false,
      reason = "Duties of the Guangzhou service outsourcing association; decides nothing about "
        .. "a contractor's act." },
    { number = "17",
      title = { zh = "违反保密约定的仲裁和诉讼", en = "Arbitration and litigation for breach" },
      encoded = false,
      reason = "The employer's remedies after a breach (arbitration, court); nothing to decide "
        .. "before an act." },
    { number = "18",
      title = { zh = "知识产权和技术成果的归属",
                en = "Ownership of intellectual property and technical results" },
      encoded = false,
      reason = "Requires the contract to settle who owns intellectual property produced in the "
        .. "work; a duty on the contract's drafting, not a question about handling data per "
        .. "request." },
    { number = "19",
      title = { zh = "不得侵犯发包方的知识产权",
                en = "No infringement of the employer's intellectual property" },
      encoded = true },
    { number = "20",
      title = { zh = "施行日期和有效期", en = "Entry into force and period of validity" },
      encoded = false,
      reason = "The validity window (from publication by the notice of 2012-04-24, five years, "
        .. "last day 2017-04-23); applied by the engine to every decision from this regime's effective "
        .. "and expires dates, not by a module." },
  },
}
