-- policies/egov-outsourcing-evaluation/lib/grading.lua — a contractor's service grade: which
-- contractor a request is about, its score as art. 4 computes it (the arithmetic mean over its
-- evaluated projects) and the art. 6 band that score falls in, failing closed when the
-- evaluations data cannot give a grade.  The reading is in art6.lua (steps 1-4).
--
-- Used by art. 6 (the grade) and art. 7 (what the grade entails), which both declare every
-- denial code below in their `messages`.  It loops (over the evaluations and the scores), as
-- both articles do anyway.
local M = {}

local EPSILON = 1e-9

-- Up to four decimals, trailing zeros dropped: 90 → "90", 86.6666… → "86.6667".
local function show(x)
  local s = string.format("%.4f", x)
  local n = #s
  while s:sub(n, n) == "0" do n = n - 1 end
  if s:sub(n, n) == "." then n = n - 1 end
  return s:sub(1, n)
end

-- The contractor the request is about: id, or nil, code, params.
local function contractor_of(req, evaluations)
  local named = custos.field(req, "resource.contractor")
  if named ~= nil then
    if type(named) ~= "string" or named == "" then
      error("resource.contractor must be a contractor id (a non-empty string), got "
            .. type(named))
    end
    return named
  end
  local project = req.resource.project
  if project ~= nil and evaluations ~= nil then
    local found
    for id, record in pairs(evaluations) do
      if custos.has(record.projects, project) then
        if found == nil then found = {} end
        found[#found + 1] = id
      end
    end
    if found ~= nil and #found == 1 then return found[1] end
    if found ~= nil then
      table.sort(found)
      return nil, "ambiguous-project",
             { project = project, contractors = table.concat(found, ", ") }
    end
  end
  local org = req.subject.org
  if org ~= nil then return org end
  if project ~= nil then return nil, "project-not-evaluated", { project = project } end
  return nil, "no-contractor"
end

-- The contractor's record and its grade (art. 4 mean, art. 6 bands): record, params with
-- contractor, mean, count, grade; or nil, code, params when the data cannot give a grade.
function M.assess(req, data)
  local evaluations = data.evaluations
  local contractor, why, why_params = contractor_of(req, evaluations)
  if contractor == nil then return nil, why, why_params end
  local record = evaluations and evaluations[contractor]
  if record == nil then return nil, "no-evaluation", { contractor = contractor } end
  local scores = record.scores
  local count = scores and #scores or 0
  if count == 0 then return nil, "no-scores", { contractor = contractor } end
  local projects = record.projects
  if projects ~= nil and #projects ~= count then
    return nil, "projects-scores-mismatch",
           { contractor = contractor, projects = #projects, scores = count }
  end
  local sum = 0
  for i = 1, count do
    local s = scores[i]
    if type(s) ~= "number" or s ~= s or s < 0 or s > 100 then
      return nil, "invalid-score", { contractor = contractor, index = i, score = tostring(s) }
    end
    sum = sum + s
  end
  local mean = sum / count
  return record, { contractor = contractor, mean = show(mean), count = count,
                   grade = M.band(mean) }
end

-- The art. 6 band of a score: "A", "B", "C" or "D".
function M.band(score)
  if score >= 90 - EPSILON then return "A"
  elseif score >= 80 - EPSILON then return "B"
  elseif score >= 60 - EPSILON then return "C" end
  return "D"
end

-- A project's own score in the contractor's record (its `projects` and `scores` side by side,
-- checked by M.assess), shown as text, and its band; or nil when the record does not list the
-- project.  Art. 5: 「外包服务评价以应用系统或项目为单位进行」 — each project is graded.
function M.project_grade(record, project)
  local projects = record.projects
  if project == nil or projects == nil then return nil end
  for i = 1, #projects do
    if projects[i] == project then
      local score = record.scores[i]
      return M.band(score), show(score)
    end
  end
  return nil
end

return M
