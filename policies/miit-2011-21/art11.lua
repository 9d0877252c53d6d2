-- policies/miit-2011-21/art11.lua — 工业和信息化部公告2011年第21号 附件 第十一项: a provider
-- that obtained the ISMS certificate after an approved review files with the ministry within
-- 30 working days of obtaining it.
--
-- Questions:
--   action "check-filing"       — is this provider's filing in order at the request's time?
--                                 (the status question; deny when it is overdue or was late)
--   action "file-certification" — the provider files now (at the request's time): on time?
-- Any other action is not applicable.
--
-- Reading:
--
--  0. Whom it binds: 「经审查同意申请并获得信息安全管理体系认证证书的服务机构」 — a provider whose
--     application was approved in the security review and which then obtained the
--     certificate.  Approval not recorded at all (no security_review_approved) leaves unknown
--     whether the point applies: deny "review-unstated" (no silent gap).  Approval refused
--     (false): the point does not bind — not applicable "certified-without-review", whose
--     message says the certificate was obtained against point 6.  (The approval's date is not
--     compared with the certificate's: the record keeps only the latest approval, which may
--     be for a re-certification still to come.)  (Decided against the
--     earlier reading, which counted a filing deadline for any certified provider.)  Checked
--     once the certificate is known (step 2).
--
--  1. Provider: resource.provider (custom field) or else subject.org; none → deny
--     "no-provider"; not in `providers` → deny "unknown-provider".
--  2. The certificate: certified_on, the day the (latest) certificate was obtained — a
--     re-certification's new certificate starts a new period.  No certified_on, or one after
--     the day of the request: nothing to file yet — "check-filing" is not applicable
--     ("not-certified" / "not-yet-certified"); "file-certification" is denied (there is no
--     certificate to file).
--  3. Counting "获证后30个工作日内".  The day of certification does not count: the period runs
--     "after obtaining the certificate" (获证后), and Chinese law counts a period in days from
--     the next day (民法典 第二百零一条: 开始的当日不计入,自下一日开始计算).  Working day 1 is
--     the first working day after certified_on, and the deadline is the whole of the 30th
--     working day (to 24:00 China Standard Time; the request's time is read in UTC+08:00, so
--     "T16:30:00Z" on the deadline is already the next day in Beijing).  Anything on a later
--     day is late, even a weekend right after the 30th working day.
--  4. A working day: Monday to Friday, unless the `holidays` data lists it among the year's
--     public-holiday days (放假); a Saturday or Sunday listed among the year's `workdays` (the
--     调休 make-up working days the State Council announces) IS a working day.  A year the
--     window reaches that the data does not hold → deny "no-holiday-calendar" (fail closed:
--     the deadline cannot be known).  A malformed or out-of-year date in the holidays data,
--     or a day listed both as a holiday and a workday, is a data error (the decision fails
--     closed with the error listed).
--  5. "check-filing": a filing counts when filed_on is on or after certified_on (an older
--     filing is the previous certificate's) and not after the day of the request.  Counted
--     and on or before the deadline → permit "filed-on-time"; after it → deny "filed-late"
--     (the breach stays on record).  Not filed and the deadline not passed → permit
--     "filing-due" with the obligation file-with-miit {deadline}; passed → deny
--     "filing-overdue" with the same obligation (it must still be made).
--  6. "file-certification": filing is what the article demands, so it is never refused on
--     time grounds: on or before the deadline → permit "filing-on-time"; after → permit
--     "filing-late" with the obligation record-late-filing {deadline} (the host keeps the
--     breach on record; "check-filing" reports it as a deny).
--
-- The arithmetic works on day numbers (days since 1970-01-01 in UTC+08:00, lib/days.lua):
-- epoch → day by (epoch + 8 h) // 86400, weekday by (day + 3) % 7 (0 = Monday; 1970-01-01
-- was a Thursday), and day → calendar date by Howard Hinnant's civil_from_days.  The loop
-- visits at most the window's days (about 45); the holiday lists are sets, so each lookup is
-- constant time.

local days = require "days"
local providers = require "providers"

local WORKING_DAYS = 30
local MAX_WINDOW = 400   -- days; a holidays list that leaves fewer than 30 working days is wrong

-- Calendar date of a day number (days since 1970-01-01 in China Standard Time).
local function date_text(day)
  return custos.date(day * 86400 - 8 * 3600)
end

-- Checks one year's holiday lists: every entry a date of that year; no day in both lists.
local function check_year(cal, year)
  local prefix = tostring(year) .. "-"
  for _, list in ipairs({ cal.days, cal.workdays }) do
    for i = 1, (list and #list or 0) do
      local s = list[i]
      if #s ~= 10 or s:sub(1, 5) ~= prefix or custos.date_start(s) == nil then
        error("holidays." .. year .. ": \"" .. s .. "\" is not a date (YYYY-MM-DD) of " .. year)
      end
    end
  end
  local workdays = cal.workdays
  for i = 1, (workdays and #workdays or 0) do
    if custos.has(cal.days, workdays[i]) then
      error("holidays." .. year .. ": " .. workdays[i] .. " is listed both as a holiday and "
            .. "as a workday")
    end
  end
end

-- The 30th working day after cert_day, and how many working days of the window had passed by
-- `today` (counting today); or nil and the year the holidays data lacks.
local function deadline_after(cert_day, today, holidays)
  local day, count, passed = cert_day, 0, 0
  local year, cal
  while count < WORKING_DAYS do
    day = day + 1
    if day - cert_day > MAX_WINDOW then
      error("the holidays data leaves fewer than 30 working days within " .. MAX_WINDOW
            .. " days of " .. date_text(cert_day))
    end
    local key = date_text(day)
    local y = tonumber(key:sub(1, 4))
    if y ~= year then
      year = y
      cal = holidays and holidays[tostring(y)]
      if cal == nil then return nil, y end
      check_year(cal, y)
    end
    local working
    if custos.has(cal.workdays, key) then working = true
    elseif custos.has(cal.days, key) then working = false
    else working = (day + 3) % 7 < 5 end
    if working then
      count = count + 1
      if day <= today then passed = count end
    end
  end
  return day, passed
end

return article {
  number = "11",
  text = {
    zh = "十一、经审查同意申请并获得信息安全管理体系认证证书的服务机构，应在获证后30个工作日内向工业和信息化部备案。",
    en = "11.  A service provider whose application was approved in the review and which has "
      .. "obtained the information security management system certificate shall file with the "
      .. "Ministry of Industry and Information Technology within 30 working days of obtaining "
      .. "the certificate.",
  },
  citation = "工业和信息化部公告2011年第21号 附件 第十一项",
  obligations = { "file-with-miit", "record-late-filing" },
  messages = {
    ["other-action"] = {
      zh = "该请求不涉及认证证书备案,第十一项不适用。",
      en = "The request is not about filing a certificate; point 11 does not apply.",
    },
    ["no-provider"] = {
      zh = "请求未指明服务机构(resource.provider 或 subject.org),无法确认其备案期限。",
      en = "The request names no service provider (resource.provider or subject.org), so no "
        .. "filing deadline can be determined.",
    },
    ["unknown-provider"] = {
      zh = "没有服务机构「{provider}」的记录,无法确认其获证日期和备案期限,拒绝。",
      en = "There is no record of service provider \"{provider}\", so its certification date "
        .. "and filing deadline cannot be determined; refused.",
    },
    ["review-unstated"] = {
      zh = "服务机构「{provider}」的记录未说明其申请是否经安全审查同意(security_review_approved),无法确认第十一项是否适用,拒绝。",
      en = "The record of service provider \"{provider}\" does not say whether its application "
        .. "was approved in the security review (security_review_approved), so whether point 11 "
        .. "applies cannot be known; refused.",
    },
    ["certified-without-review"] = {
      zh = "服务机构「{provider}」于{certified_on}获证,但其申请未经安全审查同意;第十一项只适用于经审查同意申请并获得证书的服务机构,此证书的取得不符合第六项。",
      en = "Service provider \"{provider}\" was certified on {certified_on}, but its application "
        .. "was not approved in the security review; point 11 binds only providers certified "
        .. "after an approved review, and this certificate was obtained against point 6.",
    },
    ["not-certified"] = {
      zh = "服务机构「{provider}」没有获得信息安全管理体系认证证书的记录,尚无需备案,也无证书可备案。",
      en = "Service provider \"{provider}\" has no recorded ISMS certificate: there is nothing "
        .. "to file yet.",
    },
    ["not-yet-certified"] = {
      zh = "服务机构「{provider}」的获证日期为{certified_on},晚于本次请求,尚无证书可备案。",
      en = "Service provider \"{provider}\" is recorded as certified on {certified_on}, after "
        .. "this request: there is no certificate to file yet.",
    },
    ["no-holiday-calendar"] = {
      zh = "缺少{year}年的法定节假日和调休安排(holidays 数据),无法计算服务机构「{provider}」获证后30个工作日的备案期限,拒绝。",
      en = "The holidays data has no public holidays and make-up workdays for {year}, so the "
        .. "30-working-day filing deadline of service provider \"{provider}\" cannot be "
        .. "computed; refused.",
    },
    ["filed-on-time"] = {
      zh = "服务机构「{provider}」于{certified_on}获证,已于{filed_on}向工业和信息化部备案,在获证后30个工作日内(期限{deadline})。",
      en = "Service provider \"{provider}\", certified on {certified_on}, filed with the "
        .. "ministry on {filed_on}, within 30 working days (deadline {deadline}).",
    },
    ["filed-late"] = {
      zh = "服务机构「{provider}」于{certified_on}获证,应在获证后30个工作日内(最迟{deadline})备案,实际于{filed_on}才备案,已逾期。",
      en = "Service provider \"{provider}\", certified on {certified_on}, had to file within 30 "
        .. "working days (by {deadline}) but filed only on {filed_on}: late.",
    },
    ["filing-due"] = {
      zh = "服务机构「{provider}」于{certified_on}获证,获证后已过{working_days}个工作日,尚未备案;应在{deadline}(第30个工作日)前向工业和信息化部备案。",
      en = "Service provider \"{provider}\" was certified on {certified_on}; {working_days} "
        .. "working day(s) have passed and it has not filed yet; it must file with the ministry "
        .. "by {deadline} (the 30th working day).",
    },
    ["filing-overdue"] = {
      zh = "服务机构「{provider}」于{certified_on}获证,应在获证后30个工作日内(最迟{deadline})向工业和信息化部备案,至今未备案,已逾期{days_overdue}天。",
      en = "Service provider \"{provider}\" was certified on {certified_on} and had to file with "
        .. "the ministry within 30 working days (by {deadline}); it has not filed and is "
        .. "{days_overdue} day(s) overdue.",
    },
    ["filing-on-time"] = {
      zh = "服务机构「{provider}」于{certified_on}获证,今日备案为获证后第{working_days}个工作日,在30个工作日的期限({deadline})内。",
      en = "Service provider \"{provider}\", certified on {certified_on}, files on working day "
        .. "{working_days} after certification, within the 30-working-day deadline "
        .. "({deadline}).",
    },
    ["filing-late"] = {
      zh = "服务机构「{provider}」于{certified_on}获证,备案期限为{deadline}(获证后第30个工作日),今日备案已逾期{days_overdue}天;仍应备案,逾期情况应予记录。",
      en = "Service provider \"{provider}\", certified on {certified_on}, had until {deadline} "
        .. "(the 30th working day) to file; filing today is {days_overdue} day(s) late.  The "
        .. "filing must still be made, and the delay is to be recorded.",
    },
  },
  rule = function(req, data)
    local action = req.action
    local filing = action == "file-certification"
    if not filing and action ~= "check-filing" then return not_applicable("other-action") end

    local provider, record, code, params = providers.find(req, data)
    if record == nil then return deny(code, params) end

    local certified_on = record.certified_on
    if certified_on == nil then
      if filing then return deny("not-certified", { provider = provider }) end
      return not_applicable("not-certified", { provider = provider })
    end
    local today = days.today(req)
    local cert_day = days.of_date(certified_on)
    if cert_day > today then
      local p = { provider = provider, certified_on = certified_on }
      if filing then return deny("not-yet-certified", p) end
      return not_applicable("not-yet-certified", p)
    end

    -- 「经审查同意申请并获得…证书的服务机构」: the point binds a provider whose application was
    -- approved in the review and that then obtained the certificate
    local approved = record.security_review_approved
    if approved == nil then return deny("review-unstated", { provider = provider }) end
    if approved ~= true then
      return not_applicable("certified-without-review",
                            { provider = provider, certified_on = certified_on })
    end

    local deadline_day, passed = deadline_after(cert_day, today, data.holidays)
    if deadline_day == nil then
      return deny("no-holiday-calendar", { provider = provider, year = passed })
    end
    local deadline = date_text(deadline_day)
    local p = { provider = provider, certified_on = certified_on, deadline = deadline }

    if filing then
      if today <= deadline_day then
        p.working_days = passed
        return permit("filing-on-time", p)
      end
      p.days_overdue = today - deadline_day
      return permit("filing-late", p, { { id = "record-late-filing", deadline = deadline } })
    end

    local filed_on = record.filed_on
    local filed_day = filed_on and days.of_date(filed_on)
    if filed_day ~= nil and filed_day >= cert_day and filed_day <= today then
      p.filed_on = filed_on
      if filed_day <= deadline_day then return permit("filed-on-time", p) end
      return deny("filed-late", p)
    end
    if today <= deadline_day then
      p.working_days = passed
      return permit("filing-due", p, { { id = "file-with-miit", deadline = deadline } })
    end
    p.days_overdue = today - deadline_day
    return deny("filing-overdue", p, { { id = "file-with-miit", deadline = deadline } })
  end,
}
