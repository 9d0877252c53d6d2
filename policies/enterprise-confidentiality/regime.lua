-- policies/enterprise-confidentiality/regime.lua — 服務信息保密管理制度, a company's
-- service-information confidentiality system, shipped as a template of a house regime.
--
-- Source: a document-sharing site's preview of the company
-- document, scraped in traditional characters.  The scrape carries the site's pinyin glosses
-- inside the text ("服務(wù)信息", "網(wǎng)絡(luò)", "復(fù)制" ...) and one garbled run ("適當(dāng)?shù)母綦x措施");
-- the modules quote the text exactly as it appears in the source, glosses included, so a quote
-- can be found in the source by plain search.  Titles, citations and messages are ours and leave
-- the glosses out; titles and messages are in simplified Chinese like the rest of custos.
--
-- This is not a law: the document has no issuer, number or dates.  Choices made here:
--  - document: the document's own title, 服務信息保密管理制度 (glosses removed), serves as its
--    identifier;
--  - issued / effective: 2024-01-01, the date this template is taken to be adopted by the
--    company (the source gives no date).  A customer adopting the template sets its own date;
--  - no expiry: a house rule binds until the company replaces it.
--
-- Numbering.  The source has no article numbers: it is organised in chapters (總則, 保密措施,
-- 保密義務, 監督與檢查, 違規處理), sections (目的, 適用範圍, 定義, 信息分類與標識, ...), and
-- items numbered 1., 2., ... that restart in every section; 目的 and 適用範圍 are unnumbered
-- paragraphs.  Article numbers here count every paragraph and item in document order, 1 to 40;
-- each listed title and each module's citation names the chapter, section and item it is, so
-- a reader can find it in the original:
--
--   總則      1 目的 · 2 適用範圍 · 3-4 定義 1-2
--   保密措施  5-6 信息分類與標識 1-2 · 7-8 物理隔離 1-2 · 9-11 網絡安全 1-3 ·
--             12-14 人員管理 1-3 · 15-17 信息訪問控制 1-3
--   保密義務  18-21 公司員工保密義務 1-4 · 22-25 合作商與供應商保密義務 1-4
--   監督與檢查 26-28 內部監督 1-3 · 29-30 外部審計 1-2
--   違規處理  31-36 違規行為界定 1-6 · 37-40 處理措施 1-4
--
-- The preview stops in the middle of 處理措施 4 ("如因違約行為導(dǎo)致公司遭受重大損失,") and says a
-- page is unread ("已閱讀5頁,還剩1頁未讀"); whatever follows (further items, 附則) is not in the
-- source and is not listed.
--
-- Data.  The rules read two data sections, declared below so the engine checks their types
-- when a document is loaded (examples/data/subjects.yaml and cooperations.yaml):
--   subjects:      the company's register of people and the access level granted to each
--                  (信息訪問級別, art. 15), with their role (staff, manager, partner, supplier,
--                  ...), organisation, and the acts beyond reading they are authorised to do
--                  (art. 19: copy, store, transfer, export, disclose);
--   cooperations:  the company's cooperation agreements and supply contracts with partners and
--                  suppliers (合作協議 / 供應合同, arts. 22-25): the partner's organisation, the
--                  purposes of the cooperation, and the last day it runs (ends, inclusive).
return regime {
  -- A company template, not a law: it binds only where a host adopts it
  -- (custos_config_set_regime_mode, --regime-mode enterprise-confidentiality=adopted).
  request = {
    { "context.cooperation", "string", "the cooperation a partner's act is under (arts. 24, 25)" },
    { "subject.authenticated", "boolean", "whether the subject passed authentication (art. 16)" },
  },
  default_mode = "skipped",
  id = "enterprise-confidentiality",
  title = {
    zh = "服務信息保密管理制度",
    en = "Service Information Confidentiality Management System (company policy template)",
  },
  document = "服務信息保密管理制度",
  issuers = { "采用本制度的公司(模板:由采用者填写本公司名称)" },
  issued = "2024-01-01",
  effective = "2024-01-01",
  source = "a document-sharing site's preview of the company template 服務信息保密管理制度",
  notes = "A company policy template, not a law: the source gives no issuer, number or date.  "
    .. "issued/effective 2024-01-01 is the date the template is taken to be adopted; it has "
    .. "no expiry.  The source numbers items only within each section, so articles 1-40 count "
    .. "its paragraphs and items in document order (see each article's title).  The source's "
    .. "copy ends inside 處理措施 4 (article 40).",
  data = {
    subjects = {
      name = "string",
      clearance = "level",
      role = "string",
      org = "string",
      authorized_actions = "strings",
    },
    cooperations = {
      title = "string",
      partner = "string",
      kind = "string",
      purposes = "strings",
      signed = "date",
      ends = "date",
    },
  },
  articles = {
    -- 總則
    { number = "1",
      title = { zh = "总则·目的", en = "General provisions: purpose" },
      encoded = false,
      reason = "States why the system exists (protecting the company's and its customers' "
        .. "rights, preventing leaks); decides nothing per request." },
    { number = "2",
      title = { zh = "总则·适用范围", en = "General provisions: scope" },
      encoded = false,
      reason = "Says whom the system binds (all staff, partners, suppliers, anyone who touches "
        .. "service information through work); the encoded articles apply to every subject a "
        .. "request names, so this scope is built into them." },
    { number = "3",
      title = { zh = "总则·定义 第1项:服务信息", en = "Definitions 1: service information" },
      encoded = false,
      reason = "Defines service information (customer data, service content, trade secrets); "
        .. "a request's resource is taken to be service information when the host labels it "
        .. "with a level, so the definition decides nothing by itself." },
    { number = "4",
      title = { zh = "总则·定义 第2项:保密义务人", en = "Definitions 2: persons bound to confidentiality" },
      encoded = false,
      reason = "Defines who is bound (staff, partners, suppliers and their workers); a "
        .. "definition, applied through articles 15-34." },
    -- 保密措施
    { number = "5",
      title = { zh = "信息分类与标识 第1项:绝密、机密、秘密三个等级",
                en = "Classification and marking 1: three levels, top secret, secret, confidential" },
      encoded = false,
      reason = "Defines the three levels (绝密 top_secret, 机密 secret, 秘密 confidential); the "
        .. "levels are the request's resource.classification, and article 15 decides access "
        .. "by them." },
    { number = "6",
      title = { zh = "信息分类与标识 第2项:等级标识", en = "Classification and marking 2: marking the level" },
      encoded = false,
      reason = "Requires documents to be marked with their level and electronic copies to carry "
        .. "encryption marks and access rights; a duty on how documents are prepared, checked "
        .. "by inspection, not per request." },
    { number = "7",
      title = { zh = "物理隔离 第1项:绝密级信息场所", en = "Physical separation 1: top-secret premises" },
      encoded = false,
      reason = "Physical access control to premises (door access, monitoring); the request "
        .. "document does not describe premises." },
    { number = "8",
      title = { zh = "物理隔离 第2项:机密级、秘密级信息场所",
                en = "Physical separation 2: secret and confidential premises" },
      encoded = false,
      reason = "Physical separation measures for other premises; nothing a request describes." },
    { number = "9",
      title = { zh = "网络安全 第1项:安全防护体系", en = "Network security 1: protection system" },
      encoded = false,
      reason = "Firewalls and intrusion detection: infrastructure the company builds, not a "
        .. "question about an act on data." },
    { number = "10",
      title = { zh = "网络安全 第2项:内部网络分段和访问权限",
                en = "Network security 2: segmented internal network and access rights" },
      encoded = false,
      reason = "Network segmentation; the rule that only authorised people reach the systems is "
        .. "decided per request by article 15 (access levels)." },
    { number = "11",
      title = { zh = "网络安全 第3项:加密存储、备份和恢复",
                en = "Network security 3: encrypted storage, backup and recovery" },
      encoded = false,
      reason = "Encrypting servers and storage, regular backups, a recovery plan: standing "
        .. "duties of the operator, not conditions of a single act (the obligation types "
        .. "encrypt-at-rest and backup in docs/obligations.md describe them where another "
        .. "regime requires them per act)." },
    { number = "12",
      title = { zh = "人员管理 第1项:人员背景审查", en = "Personnel 1: background checks" },
      encoded = false,
      reason = "Background checks at hiring; a personnel process, nothing per request." },
    { number = "13",
      title = { zh = "人员管理 第2项:入职培训和保密承诺书",
                en = "Personnel 2: induction training and confidentiality pledge" },
      encoded = false,
      reason = "Training and signing a pledge at induction; a personnel process (whether a "
        .. "subject signed is gz-2012 art. 5's question), not encoded here." },
    { number = "14",
      title = { zh = "人员管理 第3项:日常管理和离职", en = "Personnel 3: daily management and leaving" },
      encoded = false,
      reason = "Reminders, confidentiality files, exit procedures; personnel processes with no "
        .. "per-request question." },
    { number = "15",
      title = { zh = "信息访问控制 第1项:按访问级别授权访问",
                en = "Access control 1: access only at one's access level" },
      encoded = true },
    { number = "16",
      title = { zh = "信息访问控制 第2项:身份验证和访问记录",
                en = "Access control 2: authentication and access records" },
      encoded = true },
    { number = "17",
      title = { zh = "信息访问控制 第3项:双人授权", en = "Access control 3: dual authorization" },
      encoded = true },
    -- 保密義務
    { number = "18",
      title = { zh = "公司员工保密义务 第1项:遵守保密制度",
                en = "Staff duties 1: follow the confidentiality system" },
      encoded = false,
      reason = "A general duty to follow the system; the system's checkable rules are the "
        .. "encoded articles." },
    { number = "19",
      title = { zh = "公司员工保密义务 第2项:不得私自复制、存储、传播、带出或提供",
                en = "Staff duties 2: no private copying, storing, spreading, taking out or giving away" },
      encoded = true },
    { number = "20",
      title = { zh = "公司员工保密义务 第3项:妥善保管,离职归还",
                en = "Staff duties 3: keep documents safe, return them on leaving" },
      encoded = false,
      reason = "Safekeeping and return of documents on leaving; a duty about physical custody "
        .. "and exit, with no act a request describes." },
    { number = "21",
      title = { zh = "公司员工保密义务 第4项:报告泄露", en = "Staff duties 4: report leaks" },
      encoded = false,
      reason = "A duty to report leak risks and incidents; nothing to permit or deny." },
    { number = "22",
      title = { zh = "合作商与供应商保密义务 第1项:合同中的保密条款",
                en = "Partners and suppliers 1: confidentiality clauses in their contracts" },
      encoded = false,
      reason = "A duty on how cooperation agreements are drafted (partners bear the same duties "
        .. "as staff); applied by letting articles 15-19 bind partners and suppliers as they "
        .. "bind staff." },
    { number = "23",
      title = { zh = "合作商与供应商保密义务 第2项:指定专人",
                en = "Partners and suppliers 2: a designated person" },
      encoded = false,
      reason = "The partner names a person responsible for confidentiality; organisational." },
    { number = "24",
      title = { zh = "合作商与供应商保密义务 第3项:书面同意和合作目的",
                en = "Partners and suppliers 3: written consent and the cooperation's purposes" },
      encoded = true },
    { number = "25",
      title = { zh = "合作商与供应商保密义务 第4项:合作结束后归还并销毁",
                en = "Partners and suppliers 4: return everything and destroy backups when the cooperation ends" },
      encoded = true },
    -- 監督與檢查
    { number = "26",
      title = { zh = "内部监督 第1项:保密管理部门", en = "Internal supervision 1: a confidentiality office" },
      encoded = false,
      reason = "Sets up supervision and inspections; organisational." },
    { number = "27",
      title = { zh = "内部监督 第2项:检查内容", en = "Internal supervision 2: what inspections cover" },
      encoded = false,
      reason = "What inspections look at (marking, storage, access records) and follow-up; the "
        .. "access records they read are what article 16's log-access obligation produces." },
    { number = "28",
      title = { zh = "内部监督 第3项:举报机制", en = "Internal supervision 3: whistle-blowing" },
      encoded = false,
      reason = "A reporting channel and rewards; organisational." },
    { number = "29",
      title = { zh = "外部审计 第1项:外部审计", en = "External audit 1: periodic external audit" },
      encoded = false,
      reason = "Periodic external audits; organisational." },
    { number = "30",
      title = { zh = "外部审计 第2项:改进措施", en = "External audit 2: improvements" },
      encoded = false,
      reason = "Improvements after audits; organisational." },
    -- 違規處理
    { number = "31",
      title = { zh = "违规行为界定 第1项:泄露服务信息", en = "Violations 1: leaking service information" },
      encoded = false,
      reason = "Defines leaking as a violation; the acts that leak are refused beforehand by "
        .. "articles 15, 19 and 24, which this definition adds nothing to." },
    { number = "32",
      title = { zh = "违规行为界定 第2项:未经授权访问、使用",
                en = "Violations 2: access or use without authorisation" },
      encoded = false,
      reason = "Defines unauthorised access and use as a violation; decided per request by "
        .. "article 15 (access levels), 17 (dual authorization) and 24 (partners)." },
    { number = "33",
      title = { zh = "违规行为界定 第3项:私自复制、传播、出售",
                en = "Violations 3: private copying, spreading or selling" },
      encoded = false,
      reason = "Defines private copying, spreading and selling as a violation; decided per "
        .. "request by article 19, which reads selling (出售, named only here) as one of the "
        .. "controlled acts." },
    { number = "34",
      title = { zh = "违规行为界定 第4项:擅自提高访问权限",
                en = "Violations 4: raising an access level without authorisation" },
      encoded = true },
    { number = "35",
      title = { zh = "违规行为界定 第5项:未妥善保管", en = "Violations 5: careless custody" },
      encoded = false,
      reason = "Loss or damage through careless custody; an outcome, not an act a request asks "
        .. "permission for." },
    { number = "36",
      title = { zh = "违规行为界定 第6项:合作商、供应商违反保密协议",
                en = "Violations 6: partners or suppliers breaching their agreement" },
      encoded = false,
      reason = "Defines a partner's breach as a violation; the partner's acts are decided by "
        .. "articles 24 and 25." },
    { number = "37",
      title = { zh = "处理措施 第1项:警告", en = "Sanctions 1: warning" },
      encoded = false,
      reason = "A sanction after a violation; nothing to decide before an act." },
    { number = "38",
      title = { zh = "处理措施 第2项:经济处罚、降职、解除劳动合同",
                en = "Sanctions 2: fines, demotion, dismissal" },
      encoded = false,
      reason = "Sanctions after a violation (the source leaves the fine as \"[X]元至[X]元\")." },
    { number = "39",
      title = { zh = "处理措施 第3项:追究法律责任", en = "Sanctions 3: legal liability" },
      encoded = false,
      reason = "Legal action after a violation; nothing to decide before an act." },
    { number = "40",
      title = { zh = "处理措施 第4项:合作商、供应商违约", en = "Sanctions 4: partners' and suppliers' breach" },
      encoded = false,
      reason = "Contractual remedies against a partner after a breach; the source's copy breaks "
        .. "off inside this item." },
  },
}
