-- policies/egov-outsourcing-evaluation/art6.lua — 电子政务项目外包服务评价考核管理细则 第六条:
-- the four service grades A-D, with the score computed as art. 4 says.
--
-- Question: "what grade does this contractor have?" — action "grade".  Any other action is not
-- applicable here (the acceptance question is art. 7's).
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. Which contractor.  resource.contractor (a custom field) names it; otherwise the
--     contractor whose evaluation record lists resource.project among its evaluated projects
--     (two contractors listing the same project: deny "ambiguous-project", name one with
--     resource.contractor); otherwise subject.org (a contractor asking about itself).  None of
--     these: deny "no-contractor"; a project that no record lists and no subject.org: deny
--     "project-not-evaluated".
--  2. Fail closed on missing or broken data: no record in `evaluations` → deny "no-evaluation";
--     a record with no scores → deny "no-scores" (no evaluated project, nothing to average);
--     a score that is not a number in 0..100 (满分100分, scored by deduction) → deny
--     "invalid-score"; `projects` listed but not one per score → deny
--     "projects-scores-mismatch".
--  3. The score.  Art. 4: "外包商服务评价得分以其所有参评项目得分的算数平均值计" — the
--     contractor's score is the arithmetic mean of the scores of all its evaluated projects.
--     Art. 6 words its bands as "项目服务评价得分", but the grade that art. 7 attaches
--     consequences to is the contractor's (约谈, 不合格, 整改); the brief of this regime and the
--     REGULATIONS digest grade the contractor on its mean, and so does this module.
--  4. The bands, as the article writes them, inclusive where it says 含:
--        A  90 (含) – 100 (含)     B  80 (含) – 90 (不含)
--        C  60 (含) – 80 (不含)    D  below 60 (不含)
--     So exactly 90 is A, 89.99 is B, 80 is B, 60 is C, 59.99 is D.  The mean is a binary
--     floating-point number: seven projects scoring 89, 89, 89.07, 90.47, 90.75, 90.82 and
--     90.89 average exactly 90 in decimal but 89.99999999999999 in doubles.  The comparison
--     therefore allows 1e-9 of a point (EPSILON): scores are taken to be exact to far less
--     than that, which any real scoring sheet is.  (Steps 1-4 are lib/grading.lua, which
--     art7.lua uses too.)
--  5. Verdict: permit with the grade's own code (grade-a … grade-d) and params contractor,
--     grade, mean (up to four decimals, trailing zeros dropped), count.  The grade is
--     information; what it entails (interview, unqualified, no acceptance) is art. 7's verdict,
--     with obligations, in the same decision.

local grading = require "grading"

return article {
  number = "6",
  text = {
    -- Quoted from the rules' published text, with its ASCII parentheses and commas; its line
    -- breaks are kept as "\n".
    zh = "第六条外包项目服务水平进行分级评价。\n服务评价等级共分A、B、C、D四级。\n(一)A级。\n项目服务评价得分在90分(含)至100分(含)之间。\n(二)B级。\n项目服务评价得分在80分(含)至90分(不含)之间。\n(三)C级。\n项目服务评价得分在60分(含)至80分(不含)之间。\n(四)D级。\n项目服务评价得分在60分(不含)以下。",
    en = "Article 6  The service level of outsourced projects is evaluated in grades.  There "
      .. "are four service evaluation grades, A, B, C and D.\n"
      .. "(1) Grade A: a project service evaluation score from 90 (inclusive) to 100 "
      .. "(inclusive).\n"
      .. "(2) Grade B: from 80 (inclusive) to 90 (exclusive).\n"
      .. "(3) Grade C: from 60 (inclusive) to 80 (exclusive).\n"
      .. "(4) Grade D: below 60 (exclusive).",
  },
  citation = "《电子政务项目外包服务评价考核管理细则》第六条",
  messages = {
    ["other-action"] = {
      zh = "该请求不是询问服务评价等级,第六条不适用。",
      en = "The request does not ask for a service evaluation grade; article 6 does not apply.",
    },
    ["no-contractor"] = {
      zh = "请求未指明外包商(resource.contractor、resource.project 或 subject.org),无法评定服务评价等级。",
      en = "The request names no contractor (resource.contractor, resource.project or "
        .. "subject.org), so no service grade can be given.",
    },
    ["project-not-evaluated"] = {
      zh = "项目「{project}」不在任何外包商的参评项目中,且请求未指明外包商,无法评定服务评价等级。",
      en = "Project \"{project}\" is not among any contractor's evaluated projects and the "
        .. "request names no contractor, so no service grade can be given.",
    },
    ["ambiguous-project"] = {
      zh = "项目「{project}」同时是外包商{contractors}的参评项目;请用 resource.contractor 指明外包商。",
      en = "Project \"{project}\" is an evaluated project of several contractors ({contractors}); "
        .. "name one with resource.contractor.",
    },
    ["no-evaluation"] = {
      zh = "没有外包商「{contractor}」的服务评价考核记录,无法评定服务评价等级(按不利于外包商处理,拒绝)。",
      en = "There is no service evaluation record for contractor \"{contractor}\", so no grade "
        .. "can be given; refused (fail closed).",
    },
    ["no-scores"] = {
      zh = "外包商「{contractor}」的评价记录中没有参评项目得分,无法按第四条计算算术平均值。",
      en = "The evaluation record of contractor \"{contractor}\" holds no project scores, so "
        .. "no mean can be taken as article 4 requires.",
    },
    ["invalid-score"] = {
      zh = "外包商「{contractor}」第{index}个参评项目的得分「{score}」无效:项目服务评价满分100分,得分应在0至100分之间。",
      en = "Score {index} of contractor \"{contractor}\" (\"{score}\") is invalid: a project "
        .. "is scored out of 100, so a score must lie between 0 and 100.",
    },
    ["projects-scores-mismatch"] = {
      zh = "外包商「{contractor}」的评价记录列出{projects}个参评项目,却有{scores}个得分;记录有误,拒绝评定。",
      en = "The evaluation record of contractor \"{contractor}\" lists {projects} evaluated "
        .. "projects but {scores} scores; the record is inconsistent, so no grade is given.",
    },
    ["grade-a"] = {
      zh = "外包商「{contractor}」{count}个参评项目得分的算术平均值为{mean}分(第四条),在90分(含)至100分(含)之间,服务评价等级为A级。",
      en = "Contractor \"{contractor}\" scores {mean}, the mean over its {count} evaluated "
        .. "project(s) (article 4): between 90 (inclusive) and 100 (inclusive), grade A.",
    },
    ["grade-b"] = {
      zh = "外包商「{contractor}」{count}个参评项目得分的算术平均值为{mean}分(第四条),在80分(含)至90分(不含)之间,服务评价等级为B级。",
      en = "Contractor \"{contractor}\" scores {mean}, the mean over its {count} evaluated "
        .. "project(s) (article 4): from 80 (inclusive) to below 90, grade B.",
    },
    ["grade-c"] = {
      zh = "外包商「{contractor}」{count}个参评项目得分的算术平均值为{mean}分(第四条),在60分(含)至80分(不含)之间,服务评价等级为C级。",
      en = "Contractor \"{contractor}\" scores {mean}, the mean over its {count} evaluated "
        .. "project(s) (article 4): from 60 (inclusive) to below 80, grade C.",
    },
    ["grade-d"] = {
      zh = "外包商「{contractor}」{count}个参评项目得分的算术平均值为{mean}分(第四条),在60分(不含)以下,服务评价等级为D级。",
      en = "Contractor \"{contractor}\" scores {mean}, the mean over its {count} evaluated "
        .. "project(s) (article 4): below 60, grade D.",
    },
  },
  rule = function(req, data)
    if req.action ~= "grade" then return not_applicable("other-action") end
    local record, p, why_params = grading.assess(req, data)
    if record == nil then return deny(p, why_params) end
    local grade = p.grade
    if grade == "A" then return permit("grade-a", p) end
    if grade == "B" then return permit("grade-b", p) end
    if grade == "C" then return permit("grade-c", p) end
    return permit("grade-d", p)
  end,
}
