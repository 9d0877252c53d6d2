-- policies/miit-2011-21/regime.lua — 工业和信息化部公告2011年第21号 and its annex
-- 政府部门信息技术外包服务机构申请信息安全管理体系认证安全审查程序（暂行）.
--
-- Source: the announcement (中华人民共和国工业和信息化部公告
-- 2011年 第21号), dated 二〇一一年七月二十日, publishing the annex (fourteen numbered points
-- 一 … 十四) and its form 附表1 with the filling notes.  The articles below are the annex's
-- points, numbered 1-14; the announcement's own text is a one-paragraph preamble and is not an
-- article.
--
-- Dates.  The source shows one date, the announcement's 2011-07-20; point 十四 says "本审查程序
-- 自公告之日起实施" (in force from the day of the announcement), so issued = effective =
-- 2011-07-20.  No expiry is stated.  The annex is titled 暂行 (provisional): it stays in force
-- until replaced, and custos cannot know of a replacement; `notes` says so.
--
-- Data declared below (see each module's header for how it is read):
--
--   providers:                      # 服务机构 by id (requests name one: resource.provider or
--     acme-outsourcing:             # subject.org)
--       name: "…"
--       service_types: [A, D]       # 附表1 填表说明 3: A-J (J: 其它, "J" or "J:…")
--       security_review_approved: true      # the ministry's 安全审查同意 (point 六)
--       security_review_approved_on: "2025-08-20"   # the day it was given (optional)
--       certification_body: cb-id   # the chosen 认证机构 (point 四)
--       certified_on: "2025-09-15"  # the day the (latest) ISMS certificate was obtained
--       filed_on: "2025-10-20"      # the day it was filed with the ministry (point 十一)
--   certification_bodies:
--     cb-id: {name: "…", approved: true, approval_number: "CNCA-R-…"}  # approved by 国家认监委
--   holidays:                       # the State Council's public holidays, by year
--     "2025": {days: ["2025-01-01", …], workdays: ["2025-01-26", …]}   # workdays: 调休 weekends
return regime {
  id = "miit-2011-21",
  title = {
    zh = "政府部门信息技术外包服务机构申请信息安全管理体系认证安全审查程序（暂行）",
    en = "Security Review Procedure for Information Technology Outsourcing Service Providers "
      .. "of Government Departments Applying for Information Security Management System "
      .. "Certification (Provisional)",
  },
  document = "工业和信息化部公告2011年第21号",
  issuers = { "中华人民共和国工业和信息化部" },
  issued = "2011-07-20",
  effective = "2011-07-20",
  source = "工业和信息化部公告2011年第21号 as published",
  notes = "Published by MIIT announcement 2011 No. 21 dated 2011-07-20; point 14: in force from "
    .. "the day of the announcement.  No expiry is stated; the procedure is provisional (暂行) "
    .. "and stays in force until replaced.  It implements 工信部联协〔2010〕394号 (point 1).  "
    .. "IT service types in form 1 (附表1 填表说明 3): (A) 信息系统设计与开发 system design and "
    .. "development; (B) 信息系统集成 system integration; (C) 监理与测试 supervision and "
    .. "testing; (D) 运行维护 operation and maintenance; (E) 数据处理 data processing; "
    .. "(F) 数据备份与灾难恢复 backup and disaster recovery; (G) 应急技术支持 emergency "
    .. "technical support; (H) 安全测评 security assessment; (I) 信息系统托管 system hosting; "
    .. "(J) 其它 other (to be specified).  Working days for point 11 come from the holidays "
    .. "data section (public holidays and 调休 make-up workdays per year).",
  request = {
    { "resource.provider", "string", "the service provider asked about (else subject.org)" },
  },
  data = {
    providers = {
      name = "string",
      service_types = "strings",
      security_review_approved = "boolean",
      security_review_approved_on = "date",
      certification_body = "string",
      certified_on = "date",
      filed_on = "date",
    },
    certification_bodies = {
      name = "string",
      approved = "boolean",
      approval_number = "string",
    },
    holidays = {
      days = "strings",
      workdays = "strings",
    },
  },
  articles = {
    { number = "1",
      title = { zh = "目的和依据", en = "Purpose and legal basis" },
      encoded = false,
      reason = "States the purpose (security of government information and systems) and the "
        .. "basis, 工信部联协〔2010〕394号; it decides nothing about any request." },
    { number = "2",
      title = { zh = "服务机构的定义", en = "Definition of service provider" },
      encoded = false,
      reason = "Defines the 服务机构 (a professional institution outside the department, "
        .. "entrusted by contract by a State Council ministry or agency with IT services) and "
        .. "lists the IT services.  The providers data section holds exactly such "
        .. "institutions; their service types (A-J of form 1) are recorded and shown by the "
        .. "art. 6 module.  A definition, it decides nothing per request." },
    { number = "3",
      title = { zh = "信息安全管理体系认证的定义",
                en = "Definition of ISMS certification" },
      encoded = false,
      reason = "Defines ISMS certification (a conformity assessment by a certification body); "
        .. "a definition used by the other points, it decides nothing per request." },
    { number = "4",
      title = { zh = "鼓励加强信息安全建设;选择经批准的认证机构",
                en = "Encouragement; choosing an approved certification body" },
      encoded = true },
    { number = "5",
      title = { zh = "鼓励政府部门优先选用通过认证的服务机构",
                en = "Departments encouraged to prefer certified providers" },
      encoded = false,
      reason = "An encouragement addressed to government departments choosing a provider; "
        .. "not a rule any single act can break." },
    { number = "6",
      title = { zh = "申请认证(含再认证)须经安全审查同意",
                en = "Security review approval before applying for certification "
                  .. "(re-certification included)" },
      encoded = true },
    { number = "7",
      title = { zh = "工业和信息化部的管理职责", en = "The ministry's responsibilities" },
      encoded = false,
      reason = "The ministry's own duties (publish the procedure, set standards, organise "
        .. "reviews, publish results); decides nothing about a provider's act." },
    { number = "8",
      title = { zh = "申请安全审查应提交的材料", en = "Materials for a security review" },
      encoded = false,
      reason = "The materials a review application must contain (form 1, the certification "
        .. "application, the chosen body, the confidentiality measures); checked by the "
        .. "ministry, whose outcome custos reads as security_review_approved.  Not a "
        .. "per-request question." },
    { number = "9",
      title = { zh = "形式审查", en = "Formal examination" },
      encoded = false,
      reason = "The ministry's formal examination and acceptance of an application; its "
        .. "procedure, not a provider's act." },
    { number = "10",
      title = { zh = "实质审查", en = "Substantive examination" },
      encoded = false,
      reason = "The ministry's substantive examination with experts and other departments; "
        .. "its outcome is the approval art. 6 reads, the procedure itself decides nothing per "
        .. "request." },
    { number = "11",
      title = { zh = "获证后30个工作日内备案",
                en = "Filing within 30 working days of certification" },
      encoded = true },
    { number = "12",
      title = { zh = "通报", en = "Public notice of violations" },
      encoded = false,
      reason = "The ministry's sanction (通报) after the fact for applying without approval or "
        .. "for false materials; the act it sanctions — applying without approval — is "
        .. "refused beforehand by the art. 6 module." },
    { number = "13",
      title = { zh = "解释权", en = "Interpretation" },
      encoded = false,
      reason = "The ministry interprets the procedure; decides nothing per request." },
    { number = "14",
      title = { zh = "施行日期", en = "Entry into force" },
      encoded = false,
      reason = "In force from the day of the announcement, 2011-07-20; applied by the engine "
        .. "from this regime's effective date, not by a module." },
  },
}
