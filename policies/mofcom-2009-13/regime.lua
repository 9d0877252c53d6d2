-- policies/mofcom-2009-13/regime.lua — 关于境内企业承接服务外包业务信息保护的若干规定
-- (商务部、工业和信息化部令2009年第13号), the national rule the Guangzhou measures (gz-2012)
-- implement.
--
-- Source: the copy used holds only a rough English machine translation (it
-- renders 接包方 "contract issuer" and numbers the articles "Fourth", "Fifth", ...).  It shows
-- fifteen articles: adopted 2009-12-28 by the Ministry of Commerce and the Ministry of Industry
-- and Information Technology, in force from 2010-02-01.  The order itself says it was adopted
-- at MOFCOM's 29th ministerial meeting on 2009-10-22 and by MIIT, signed by ministers 陈德铭
-- and 李毅中 on 二〇〇九年十二月二十八日; no expiry is stated.
--
-- The Chinese text of articles 1-4 and of article 5 up to its item (三) was found in public
-- copies of the order: the full text reprinted by 中国发展门户网 (cn.chinagate.cn,
-- 2010-02-01, "该《规定》全文如下") and the ministry's text as reproduced by big5.taiwan.cn
-- (2010-01-22, "来源:商务部网站", in traditional characters).  Items (四)-(八) of article 5
-- and article 6 were not found; their modules quote no Chinese they cannot source and say so
-- in text.zh, with the source's English in text.en.  Whether the order has since been amended or
-- repealed was not verified.
--
-- The national articles decided here match their Guangzhou implementations: mofcom art. 3 ↔
-- gz art. 3, art. 4 ↔ gz art. 4, art. 5 ↔ gz art. 7, art. 6 ↔ gz art. 5, art. 12 ↔ gz art. 19.  They follow the same
-- conventions: the definition (art. 3) never decides by itself; arts. 4 and 6 forbid or set a
-- precondition and never permit; art. 5 permits with obligations.  The national rule has no
-- counterpart of gz art. 10 (contract terms and retention) or of gz arts. 9, 11-13.
-- Whom the regime binds — domestic enterprises (境内企业, the title) — is stated by the data: lib/scope.lua looks up the
-- contractor in the data section `contractors`; `applies` skips every article for one it does
-- not bind.
local scope = require "scope"

return regime {
  id = "mofcom-2009-13",
  title = {
    zh = "关于境内企业承接服务外包业务信息保护的若干规定",
    en = "Provisions on the Protection of Information by Domestic Enterprises Undertaking "
      .. "Service Outsourcing Business",
  },
  document = "商务部、工业和信息化部令2009年第13号",
  issuers = {
    "中华人民共和国商务部",
    "中华人民共和国工业和信息化部",
  },
  issued = "2009-12-28",
  effective = "2010-02-01",
  source = "商务部、工业和信息化部令2009年第13号 (English machine translation; Chinese from reprints)",
  notes = "The source holds only a rough English machine translation.  Chinese text of arts. 1-4 "
    .. "and of art. 5 up to item (三) was taken from public reprints of the order "
    .. "(cn.chinagate.cn 2010-02-01; big5.taiwan.cn 2010-01-22, from the MOFCOM website); the "
    .. "Chinese of art. 5 items (四)-(八) and of art. 6 was not found, so those modules mark it "
    .. "as not included (原文未收录) and carry the source's English.  No expiry is stated; later "
    .. "amendment or repeal was not verified.  Art. 3 (definition) never decides by itself; "
    .. "a contract silent on confidentiality is read as binding (the Contract Law's good-faith "
    .. "duty of confidentiality, on which art. 1 rests the rule).  Arts. 4 and 6 never permit; "
    .. "art. 5 permits with obligations (log-access, backup, encrypt-at-rest for important "
    .. "information).",
  messages = scope.DOMESTIC_MESSAGES,
  applies = function(req, data)
    local outside, params = scope.domestic(req, data)
    if outside ~= nil then return not_applicable(outside, params) end
  end,
  articles = {
    { number = "1",
      title = { zh = "目的和依据", en = "Purpose and legal basis" },
      encoded = false,
      reason = "States why the rule was made (protecting confidential information, fair "
        .. "competition, the outsourcing industry) and that it rests on the Contract Law.  "
        .. "Whom the rule binds — domestic enterprises (境内企业, the rule's title) — is "
        .. "the regime's `applies` (lib/scope.lua: a contractor whose record in the data "
        .. "section `contractors` says domestic: false is outside it, and no article is "
        .. "consulted)." },
    { number = "2",
      title = { zh = "承接服务外包业务的定义", en = "What undertaking service outsourcing means" },
      encoded = false,
      reason = "Defines the outsourcing business and the terms 接包方 / 发包方; a definition the "
        .. "other articles use (the request's resource.entrusted and contract stand for it), it "
        .. "decides nothing per request." },
    { number = "3",
      title = { zh = "保密信息的定义", en = "Definition of confidential information" },
      encoded = true },
    { number = "4",
      title = { zh = "不得违约披露、使用保密信息",
                en = "No disclosure or use of confidential information against the contract" },
      encoded = true },
    { number = "5",
      title = { zh = "信息保护机构和保密措施",
                en = "Information protection body and confidentiality measures" },
      encoded = true },
    { number = "6",
      title = { zh = "保密协议和竞业禁止协议",
                en = "Confidentiality and non-compete agreements" },
      encoded = true },
    { number = "7",
      title = { zh = "信息安全培训", en = "Information security training" },
      encoded = false,
      reason = "A standing duty to train staff and raise their awareness of confidentiality; "
        .. "an organisational obligation with no per-request question to decide." },
    { number = "8",
      title = { zh = "鼓励获取信息安全认证",
                en = "Encouragement of information security certification" },
      encoded = false,
      reason = "Encourages following certification requirements and best practice and "
        .. "obtaining certification; an encouragement, not a rule any single act can break." },
    { number = "9",
      title = { zh = "内部信息安全管理体系的检查和维护",
                en = "Inspection and maintenance of the internal security management system" },
      encoded = false,
      reason = "A standing duty to inspect, maintain and improve the internal information "
        .. "security system; decides nothing per request." },
    { number = "10",
      title = { zh = "违反保密约定的仲裁和诉讼", en = "Arbitration and litigation for breach" },
      encoded = false,
      reason = "The employer's remedies after a breach of a confidentiality agreement or clause "
        .. "(arbitration, court); nothing to decide before an act." },
    { number = "11",
      title = { zh = "知识产权和技术成果的归属",
                en = "Ownership of intellectual property and technical results" },
      encoded = false,
      reason = "Requires the parties to agree who owns intellectual property or technical "
        .. "results produced in the work; a duty on the contract's drafting, not a question "
        .. "about handling data per request." },
    { number = "12",
      title = { zh = "不得侵犯发包方的知识产权",
                en = "No infringement of the employer's intellectual property" },
      encoded = true },
    { number = "13",
      title = { zh = "行业自律和信息安全情况通报",
                en = "Industry self-regulation and reporting" },
      encoded = false,
      reason = "Duties of industry associations and intermediary organisations (self-regulation, "
        .. "publishing contractors' information security work); decides nothing about a "
        .. "contractor's act." },
    { number = "14",
      title = { zh = "解释", en = "Interpretation" },
      encoded = false,
      reason = "Names the ministries that interpret the rule; decides nothing per request." },
    { number = "15",
      title = { zh = "施行日期", en = "Entry into force" },
      encoded = false,
      reason = "In force from 2010-02-01, with no expiry; applied by the engine to every "
        .. "decision from this regime's effective date, not by a module." },
  },
}
