-- policies/egov-outsourcing-evaluation/art7.lua — 电子政务项目外包服务评价考核管理细则 第七条:
-- what a grade entails — grade C: an interview and a demand for improvement; grade D, or grade
-- C twice in a row: unqualified, and no project acceptance until rectification is complete.
--
-- Questions: "what follows from this contractor's grade?" (action "grade", in the same
-- decision as art. 6's grade) and "may this project be accepted?" (action "accept-project").
-- Any other action is not applicable.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. Contractor and grade exactly as art6.lua: the mean over the contractor's evaluated
--     projects (art. 4) banded as art. 6 says; the same fail-closed denials when the data
--     cannot give a grade (no record, no scores, a bad score, ...).  Both modules compute it
--     with the same code, lib/grading.lua.
--  2. "连续2次C级" — grade C twice in a row: the current round's grade is C and the grade of
--     the round immediately before it — the LAST entry of previous_grades (oldest first) — is
--     C.  D then C is not twice C (it is one C: interview).  An entry of previous_grades that
--     is not A, B, C or D: deny "invalid-previous-grade" (fail closed).
--  3. Unqualified (视为不合格) = grade D, or C twice in a row.  "在整改到位之前,不得进行项目
--     验收": until rectification is complete, no project acceptance.  The grade is the
--     contractor's (art. 4), so the bar covers every project of that contractor, not only the
--     evaluated ones.  Rectification counts from `rectified_on` (the day it was confirmed
--     complete) when that day has begun at the request's time, and only if it is not earlier
--     than `published_on` (a rectification of an earlier round does not clear this one).
--  4. action "grade": A or B → not applicable (the article says nothing about them);
--     C once → permit "interview-and-improve" with the obligation interview-and-improve
--     (约谈提醒, 提出改进要求, by 监信处 with 监测中心 and the project division);
--     D → permit "unqualified-grade-d" with the obligation rectify-before-acceptance;
--     C twice → permit "unqualified-twice-c" with both obligations (it is a C grade too);
--     unqualified but rectified → permit "unqualified-rectified", no obligation.
--     (The verdicts are permits because the act asked about — grading — is not forbidden;
--     the grade's consequences travel as obligations.)
--  5. action "accept-project": the project's own grade counts too.  Art. 5 evaluates 「以应用
--     系统或项目为单位」 and art. 6 bands 「项目服务评价得分」, the project's score; art. 4's
--     mean is the contractor's overall score.  A project the record lists whose own score is
--     in band D is unqualified for acceptance even under a contractor whose mean is C or
--     better: deny "acceptance-barred-project-d" (with rectify-before-acceptance) until
--     rectification (as below).  (Decided against the earlier reading, which accepted a
--     D project under a C contractor.)  Then, the contractor's grade:
--     unqualified and not rectified → deny (grade D:
--     "acceptance-barred-grade-d"; C twice: "acceptance-barred-twice-c"), with the obligation
--     rectify-before-acceptance; rectified → permit "acceptance-after-rectification"; grade C
--     once → permit "acceptance-grade-c" (the interview does not bar acceptance); A or B →
--     permit "acceptance-qualified".

local grading = require "grading"

local GRADES = { A = true, B = true, C = true, D = true }
local INTERVIEW_UNITS = "监信处会同监测中心、项目建设处室"

-- Epoch seconds of the first second of a data date (or of an RFC 3339 time).
local function day_start(s)
  local t = custos.date_start(s) or custos.instant(s)
  if t == nil then error("not a date: " .. tostring(s)) end
  return t
end

-- The day rectification was confirmed, if it counts at the request's time; else nil.
local function rectified(record, req)
  local on = record.rectified_on
  if on == nil then return nil end
  local t = day_start(on)
  if t > custos.now(req) then return nil end
  local published = record.published_on
  if published ~= nil and t < day_start(published) then return nil end
  return on
end

return article {
  number = "7",
  text = {
    -- Quoted from the rules' published text, with its ASCII commas and the space in "D 级".
    zh = "第七条服务评价等级C级的,由监信处会同监测中心、项目建设处室进行约谈提醒,提出改进要求。\n服务等级为D 级或连续2次C级的,视为不合格,在整改到位之前,不得进行项目验收。",
    en = "Article 7  Where the service evaluation grade is C, the supervision and "
      .. "information division, together with the monitoring centre and the project "
      .. "construction division, shall hold a reminder interview and set requirements for "
      .. "improvement.\n"
      .. "A service grade of D, or grade C twice in a row, is deemed unqualified; until "
      .. "rectification is complete, the project may not be accepted.",
  },
  citation = "《电子政务项目外包服务评价考核管理细则》第七条",
  obligations = { "interview-and-improve", "rectify-before-acceptance" },
  messages = {
    ["other-action"] = {
      zh = "该请求既不是询问服务评价等级,也不是项目验收,第七条不适用。",
      en = "The request asks neither for a service grade nor for a project acceptance; "
        .. "article 7 does not apply.",
    },
    ["no-contractor"] = {
      zh = "请求未指明外包商(resource.contractor、resource.project 或 subject.org),无法依服务评价等级作出处理。",
      en = "The request names no contractor (resource.contractor, resource.project or "
        .. "subject.org), so the consequences of a grade cannot be decided.",
    },
    ["project-not-evaluated"] = {
      zh = "项目「{project}」不在任何外包商的参评项目中,且请求未指明外包商,无法确认其外包商是否合格。",
      en = "Project \"{project}\" is not among any contractor's evaluated projects and the "
        .. "request names no contractor, so whether its contractor is qualified cannot be "
        .. "shown.",
    },
    ["ambiguous-project"] = {
      zh = "项目「{project}」同时是外包商{contractors}的参评项目;请用 resource.contractor 指明外包商。",
      en = "Project \"{project}\" is an evaluated project of several contractors ({contractors}); "
        .. "name one with resource.contractor.",
    },
    ["no-evaluation"] = {
      zh = "没有外包商「{contractor}」的服务评价考核记录,无法确认其不属于不合格(按不利于外包商处理,拒绝)。",
      en = "There is no service evaluation record for contractor \"{contractor}\", so it cannot "
        .. "be shown not to be unqualified; refused (fail closed).",
    },
    ["no-scores"] = {
      zh = "外包商「{contractor}」的评价记录中没有参评项目得分,无法确定服务评价等级,拒绝。",
      en = "The evaluation record of contractor \"{contractor}\" holds no project scores, so "
        .. "its grade cannot be determined; refused.",
    },
    ["invalid-score"] = {
      zh = "外包商「{contractor}」第{index}个参评项目的得分「{score}」无效:项目服务评价满分100分,得分应在0至100分之间。",
      en = "Score {index} of contractor \"{contractor}\" (\"{score}\") is invalid: a project "
        .. "is scored out of 100, so a score must lie between 0 and 100.",
    },
    ["projects-scores-mismatch"] = {
      zh = "外包商「{contractor}」的评价记录列出{projects}个参评项目,却有{scores}个得分;记录有误,拒绝。",
      en = "The evaluation record of contractor \"{contractor}\" lists {projects} evaluated "
        .. "projects but {scores} scores; the record is inconsistent; refused.",
    },
    ["invalid-previous-grade"] = {
      zh = "外包商「{contractor}」以往的服务评价等级中有无效等级「{previous}」(应为A、B、C或D),无法判断是否连续2次C级,拒绝。",
      en = "The earlier grades of contractor \"{contractor}\" include \"{previous}\", which is "
        .. "not A, B, C or D, so \"grade C twice in a row\" cannot be judged; refused.",
    },
    ["no-consequence"] = {
      zh = "外包商「{contractor}」服务评价等级为{grade}级(平均{mean}分),第七条对此不作处理。",
      en = "Contractor \"{contractor}\" has grade {grade} (mean {mean}); article 7 attaches no "
        .. "consequence to it.",
    },
    ["interview-and-improve"] = {
      zh = "外包商「{contractor}」服务评价等级为C级(平均{mean}分),由监信处会同监测中心、项目建设处室进行约谈提醒,提出改进要求。",
      en = "Contractor \"{contractor}\" has grade C (mean {mean}): the supervision division, "
        .. "with the monitoring centre and the project division, holds a reminder interview "
        .. "and sets requirements for improvement.",
    },
    ["unqualified-grade-d"] = {
      zh = "外包商「{contractor}」服务评价等级为D级(平均{mean}分),视为不合格;在整改到位之前,不得进行项目验收。",
      en = "Contractor \"{contractor}\" has grade D (mean {mean}) and is deemed unqualified; "
        .. "until rectification is complete, none of its projects may be accepted.",
    },
    ["unqualified-twice-c"] = {
      zh = "外包商「{contractor}」连续2次服务评价等级为C级(本次平均{mean}分,上次{previous}级),视为不合格;在整改到位之前,不得进行项目验收;并应约谈提醒,提出改进要求。",
      en = "Contractor \"{contractor}\" has grade C for the second time in a row (mean "
        .. "{mean} now, grade {previous} last time) and is deemed unqualified; until "
        .. "rectification is complete, none of its projects may be accepted; the reminder "
        .. "interview and improvement requirements apply as well.",
    },
    ["unqualified-rectified"] = {
      zh = "外包商「{contractor}」本次服务评价等级为{grade}级(平均{mean}分),视为不合格,已于{rectified_on}整改到位。",
      en = "Contractor \"{contractor}\" has grade {grade} (mean {mean}) and was deemed "
        .. "unqualified; rectification was confirmed complete on {rectified_on}.",
    },
    ["acceptance-qualified"] = {
      zh = "外包商「{contractor}」服务评价等级为{grade}级(平均{mean}分),不属于不合格,项目「{project}」可以进行验收。",
      en = "Contractor \"{contractor}\" has grade {grade} (mean {mean}) and is not "
        .. "unqualified; project \"{project}\" may be accepted.",
    },
    ["acceptance-grade-c"] = {
      zh = "外包商「{contractor}」服务评价等级为C级(平均{mean}分,上次{previous}),并非连续2次C级,不属于不合格,项目「{project}」可以进行验收;约谈提醒和改进要求不影响验收。",
      en = "Contractor \"{contractor}\" has grade C (mean {mean}; last time: {previous}), not "
        .. "twice in a row, so it is not unqualified and project \"{project}\" may be "
        .. "accepted; the reminder interview does not bar acceptance.",
    },
    ["acceptance-barred-grade-d"] = {
      zh = "外包商「{contractor}」服务评价等级为D级(平均{mean}分),视为不合格;在整改到位之前,不得进行项目验收,项目「{project}」不得验收。",
      en = "Contractor \"{contractor}\" has grade D (mean {mean}) and is deemed unqualified; "
        .. "until rectification is complete, project \"{project}\" may not be accepted.",
    },
    ["acceptance-barred-project-d"] = {
      zh = "项目「{project}」本身的服务评价得分为{project_score}分,为D级,视为不合格(外包商「{contractor}」平均{mean}分为{grade}级);在整改到位之前,不得进行项目验收。",
      en = "Project \"{project}\" itself scored {project_score}, grade D, and is deemed "
        .. "unqualified (contractor \"{contractor}\" averages {mean}, grade {grade}); until "
        .. "rectification is complete it may not be accepted.",
    },
    ["acceptance-barred-twice-c"] = {
      zh = "外包商「{contractor}」连续2次服务评价等级为C级(本次平均{mean}分,上次{previous}级),视为不合格;在整改到位之前,不得进行项目验收,项目「{project}」不得验收。",
      en = "Contractor \"{contractor}\" has grade C for the second time in a row (mean "
        .. "{mean} now, grade {previous} last time) and is deemed unqualified; until "
        .. "rectification is complete, project \"{project}\" may not be accepted.",
    },
    ["acceptance-after-rectification"] = {
      zh = "外包商「{contractor}」本次服务评价等级为{grade}级(平均{mean}分),视为不合格,但已于{rectified_on}整改到位,项目「{project}」可以进行验收。",
      en = "Contractor \"{contractor}\" has grade {grade} (mean {mean}) and was deemed "
        .. "unqualified, but rectification was confirmed complete on {rectified_on}; project "
        .. "\"{project}\" may be accepted.",
    },
  },
  rule = function(req, data)
    local action = req.action
    local accepting = action == "accept-project"
    if not accepting and action ~= "grade" then return not_applicable("other-action") end

    local record, p, why_params = grading.assess(req, data)
    if record == nil then return deny(p, why_params) end
    local contractor, grade = p.contractor, p.grade

    local earlier = record.previous_grades
    local previous
    if earlier ~= nil then
      for i = 1, #earlier do
        if not GRADES[earlier[i]] then
          return deny("invalid-previous-grade",
                      { contractor = contractor, previous = tostring(earlier[i]) })
        end
      end
      previous = earlier[#earlier]
    end
    p.previous = previous or "—"
    p.project = req.resource.project or "—"

    local twice_c = grade == "C" and previous == "C"
    local unqualified = grade == "D" or twice_c
    local rectified_on = unqualified and rectified(record, req) or nil
    if rectified_on ~= nil then p.rectified_on = rectified_on end

    -- art. 5: evaluation is per application system or project, and art. 6 bands the
    -- 「项目服务评价得分」: a project whose own score is D is unqualified for acceptance even when
    -- its contractor's mean (art. 4) is better
    local project_grade, project_score = grading.project_grade(record, req.resource.project)
    if accepting and not unqualified and project_grade == "D" then
      p.project_score = project_score
      local on = rectified(record, req)
      if on ~= nil then
        p.rectified_on = on
        return permit("acceptance-after-rectification", p)
      end
      return deny("acceptance-barred-project-d", p,
                  { { id = "rectify-before-acceptance", contractor = contractor } })
    end

    if accepting then
      if unqualified then
        if rectified_on ~= nil then return permit("acceptance-after-rectification", p) end
        local obligations = { { id = "rectify-before-acceptance", contractor = contractor } }
        if twice_c then return deny("acceptance-barred-twice-c", p, obligations) end
        return deny("acceptance-barred-grade-d", p, obligations)
      end
      if grade == "C" then return permit("acceptance-grade-c", p) end
      return permit("acceptance-qualified", p)
    end

    if unqualified then
      if rectified_on ~= nil then return permit("unqualified-rectified", p) end
      local rectify = { id = "rectify-before-acceptance", contractor = contractor }
      if twice_c then
        return permit("unqualified-twice-c", p, {
          { id = "interview-and-improve", contractor = contractor, units = INTERVIEW_UNITS },
          rectify,
        })
      end
      return permit("unqualified-grade-d", p, { rectify })
    end
    if grade == "C" then
      return permit("interview-and-improve", p, {
        { id = "interview-and-improve", contractor = contractor, units = INTERVIEW_UNITS },
      })
    end
    return not_applicable("no-consequence", p)
  end,
}
