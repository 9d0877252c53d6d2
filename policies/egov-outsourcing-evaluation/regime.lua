-- policies/egov-outsourcing-evaluation/regime.lua — 电子政务项目外包服务评价考核管理细则.
--
-- Source: a compilation of (mostly Jiangsu) e-government
-- documents; the 细则 is the run of text from "电子政务项目外包服务评价考核管理细则第一条" to
-- "第八条本细则自发布之日起施行。".  The source gives the rules' eight articles and nothing else: no issuing body
-- (the text names only internal units — 监信处, 监测中心, 项目建设处室 — so it is a department's
-- internal rule), no document number, no date of issue or publication, and not the annex
-- (附件, the 评分细则) that art. 4 refers to.
--
-- Dates.  Art. 8: "本细则自发布之日起施行" — in force from publication, no expiry.  The
-- source gives neither the date of issue nor the date of publication, so `issued` and
-- `effective` are "unknown": decisions report the regime's validity as unknown ("in_force":
-- null), it binds as adopted (the default mode), and under the in-force mode it does not bind
-- (custos does not claim a force it cannot establish).  A host that learns the publication
-- date should write it here.
--
-- `document`: with no 文号 in the source, the rules are cited by their title in 《》.
--
-- Data (section `evaluations`, one record per contractor, by the contractor's id):
--
--   evaluations:
--     acme-outsourcing:
--       round: "2025H2"                 # the evaluation round the scores belong to (display only)
--       projects: [gov-portal, e-permit] # the evaluated projects (参评项目), optional; used to
--                                        # find the contractor from resource.project
--       scores: [92.5, 86]              # the current round's score of each evaluated project,
--                                        # 0-100 (满分100分, by deduction)
--       previous_grades: [B, C]         # grades of earlier rounds, oldest first; the LAST one
--                                        # is the round immediately before the current one
--       published_on: "2026-01-10"      # the day the current round's results were published
--                                        # (第五条(四)); optional
--       rectified_on: "2026-03-01"      # the day rectification (整改到位) was confirmed;
--                                        # optional; ignored when before published_on
--
-- How the modules read the articles (details in art6.lua and art7.lua):
--   - art. 4: a contractor's score is the arithmetic mean of its evaluated projects' scores;
--     the grade of art. 6 is taken from that mean (the contractor's grade).  Art. 5 grades
--     「以应用系统或项目为单位」, so for a project's acceptance (art. 7) the project's own score
--     counts too: a project in band D is not accepted under a contractor graded C or better.
--   - art. 6 (action "grade"): permit with the grade as the message code (grade-a … grade-d)
--     and params grade, mean, count; the grade is information, so every grade is a permit.
--   - art. 7 (action "grade"): the consequence of the grade as an obligation — grade C:
--     interview-and-improve; grade D or C twice in a row: unqualified, rectify-before-acceptance.
--     (action "accept-project"): deny while an unqualified contractor has not rectified.
--   - No evaluation record, no scores, or a score outside 0-100: deny (fail closed).
return regime {
  id = "egov-outsourcing-evaluation",
  title = {
    zh = "电子政务项目外包服务评价考核管理细则",
    en = "Detailed Rules for Evaluating and Assessing Outsourced Services in E-Government "
      .. "Projects",
  },
  document = "《电子政务项目外包服务评价考核管理细则》",
  issued = "unknown",    -- the source gives no date of issue
  effective = "unknown", -- art. 8: from publication; the source gives no publication date
  source = "a compilation of (mostly Jiangsu) e-government documents",
  notes = "Art. 8: in force from publication (本细则自发布之日起施行), no expiry.  The source gives "
    .. "no issuing body, document number or date; issued/effective are \"unknown\", so decisions "
    .. "report the rules' validity as unknown.  The "
    .. "scoring annex (附件, 评分细则) of art. 4 is not in the source: custos takes each project's "
    .. "score as given in the data.  The article numbers and all quotations follow the source.",
  request = {
    { "resource.contractor", "string", "the contractor asked about (else found by resource.project or subject.org)" },
  },
  data = {
    evaluations = {
      round = "string",
      projects = "strings",
      scores = "numbers",
      previous_grades = "strings",
      published_on = "date",
      rectified_on = "date",
    },
  },
  articles = {
    { number = "1",
      title = { zh = "目的和依据", en = "Purpose and legal basis" },
      encoded = false,
      reason = "States why the rules were made (to manage e-government outsourcing services "
        .. "and raise their quality) and the measures they rest on; it decides nothing about "
        .. "any request." },
    { number = "2",
      title = { zh = "适用范围", en = "Scope" },
      encoded = false,
      reason = "Scope: project divisions and the service units holding a construction or "
        .. "operation contract with them.  The evaluations data section holds exactly such "
        .. "contractors, so there is nothing left to decide per request." },
    { number = "3",
      title = { zh = "职责分工", en = "Division of responsibilities" },
      encoded = false,
      reason = "Assigns the work to 监信处 (lead), 监测中心 (execution) and the project "
        .. "divisions (participation); organisational, it decides nothing per request.  The "
        .. "art. 7 obligation names the units that hold the interview." },
    { number = "4",
      title = { zh = "评价依据和计分方法", en = "Basis of evaluation and scoring" },
      encoded = false,
      reason = "How a score is made: each project out of 100 by cumulative deduction under the "
        .. "scoring annex, a contractor's score the arithmetic mean over all its evaluated "
        .. "projects.  The per-project scoring (the annex) happens outside custos; the mean is "
        .. "computed by the art. 6 and art. 7 modules, whose messages say so.  Alone it answers "
        .. "no question a request asks." },
    { number = "5",
      title = { zh = "评价考核工作程序", en = "Evaluation procedure" },
      encoded = false,
      reason = "The procedure (self-evaluation, scoring by 监测中心, review by 监信处, "
        .. "consultation, publication of results).  Its output — the published scores — is "
        .. "what the evaluations data records; the procedure itself is not a per-request "
        .. "question." },
    { number = "6",
      title = { zh = "服务评价等级", en = "Service evaluation grades" },
      encoded = true },
    { number = "7",
      title = { zh = "评价等级的处理", en = "Consequences of the grades" },
      encoded = true },
    { number = "8",
      title = { zh = "施行日期", en = "Entry into force" },
      encoded = false,
      reason = "In force from publication, no expiry; the source gives no publication date, so "
        .. "the regime's effective date is \"unknown\" and decisions report its validity as "
        .. "unknown (see notes); applied by the engine, not by a module." },
  },
}
