-- policies/miit-2011-21/art6.lua — 工业和信息化部公告2011年第21号 附件 第六项: a provider's
-- application for ISMS certification, re-certification included, needs the ministry's
-- security review approval (安全审查同意) first.
--
-- Question: "may this provider apply for ISMS certification now?" — action
-- "apply-certification".  Any other action is not applicable.  Art. 4 (the certification
-- body) answers the same request; both must permit.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. The provider is resource.provider (a custom field) or else subject.org.  Neither: deny
--     "no-provider".  Not in the `providers` data: deny "unknown-provider" (no approval can be
--     shown; fail closed).
--  2. Without security_review_approved = true: deny "no-security-review".
--  3. An approval dated (security_review_approved_on) after the day of the request had not
--     been given when the provider applies: deny "approval-after-application".
--  4. Re-certification (含再认证).  A provider whose record has certified_on already holds (or
--     held) a certificate, so its application now is a re-certification.  Each application
--     needs its own approval: the approval that preceded the existing certificate was used up
--     by it.  So a re-certification needs an approval dated after the day of the existing
--     certificate: undated → deny "recertification-approval-undated"; dated on or before
--     certified_on → deny "approval-predates-certificate" (an approval given the same day as
--     the certificate is read as the one for that certificate).
--  5. The provider's service types (附表1 填表说明 3: A-J) are shown in the verdict; a code
--     other than A-J (J may carry its specification, "J:…") is a data error: deny
--     "unknown-service-type".
--  6. Otherwise permit "security-review-approved" (first certification) or
--     "recertification-approved".
--
-- What happens to a provider that applied without approval (通报, point 十二) is the
-- ministry's sanction after the fact and is not encoded.

local days = require "days"
local providers = require "providers"

-- 附表1 填表说明 3, the IT service types.
local SERVICE_TYPES = {
  A = "信息系统设计与开发", B = "信息系统集成", C = "监理与测试", D = "运行维护",
  E = "数据处理", F = "数据备份与灾难恢复", G = "应急技术支持", H = "安全测评",
  I = "信息系统托管", J = "其它",
}

-- "A 信息系统设计与开发、D 运行维护" and "A, D"; or nil and the bad code.
local function service_types(list)
  if list == nil or #list == 0 then return "(未登记)", "(none recorded)" end
  local zh, en = {}, {}
  for i = 1, #list do
    local code = list[i]
    local name = SERVICE_TYPES[code]
    if name == nil and code:sub(1, 2) == "J:" and #code > 2 then
      name = "其它(" .. code:sub(3) .. ")"
    end
    if name == nil then return nil, code end
    zh[i] = code:sub(1, 1) .. " " .. name
    en[i] = code
  end
  return table.concat(zh, "、"), table.concat(en, ", ")
end

return article {
  number = "6",
  text = {
    zh = "六、服务机构申请信息安全管理体系认证（含再认证）时，应经工业和信息化部安全审查同意。",
    en = "6.  A service provider applying for information security management system "
      .. "certification (re-certification included) shall first obtain the approval of the "
      .. "Ministry of Industry and Information Technology's security review.",
  },
  citation = "工业和信息化部公告2011年第21号 附件 第六项",
  messages = {
    ["other-action"] = {
      zh = "该请求不是申请信息安全管理体系认证,第六项不适用。",
      en = "The request is not an application for ISMS certification; point 6 does not apply.",
    },
    ["no-provider"] = {
      zh = "请求未指明服务机构(resource.provider 或 subject.org),无法确认其已经工业和信息化部安全审查同意。",
      en = "The request names no service provider (resource.provider or subject.org), so no "
        .. "security review approval can be shown.",
    },
    ["unknown-provider"] = {
      zh = "没有服务机构「{provider}」的记录,无法确认其已经工业和信息化部安全审查同意,拒绝。",
      en = "There is no record of service provider \"{provider}\", so no security review "
        .. "approval by the ministry can be shown; refused.",
    },
    ["no-security-review"] = {
      zh = "服务机构「{provider}」未经工业和信息化部安全审查同意,不得申请信息安全管理体系认证(含再认证)。",
      en = "Service provider \"{provider}\" has no security review approval from the Ministry "
        .. "of Industry and Information Technology, so it may not apply for ISMS certification "
        .. "(re-certification included).",
    },
    ["approval-after-application"] = {
      zh = "服务机构「{provider}」的安全审查同意日期为{approved_on},晚于本次申请,申请时尚未经安全审查同意。",
      en = "The security review approval of service provider \"{provider}\" is dated "
        .. "{approved_on}, after this application: it had not been given when the provider "
        .. "applies.",
    },
    ["recertification-approval-undated"] = {
      zh = "服务机构「{provider}」已于{certified_on}获得认证证书,本次为再认证;其安全审查同意未注明日期,无法确认是针对本次再认证的同意,拒绝。",
      en = "Service provider \"{provider}\" was certified on {certified_on}, so this is a "
        .. "re-certification; its security review approval is undated, so it cannot be shown "
        .. "to be an approval for this re-certification; refused.",
    },
    ["approval-predates-certificate"] = {
      zh = "服务机构「{provider}」的安全审查同意({approved_on})不晚于其已获认证证书的日期({certified_on}),是对该次认证的同意;再认证须另经工业和信息化部安全审查同意。",
      en = "The security review approval of service provider \"{provider}\" ({approved_on}) "
        .. "dates from no later than its existing certificate ({certified_on}) and was the "
        .. "approval for that certification; a re-certification needs a new security review "
        .. "approval from the ministry.",
    },
    ["unknown-service-type"] = {
      zh = "服务机构「{provider}」登记的信息技术服务类型「{service_type}」不是附表1所列的A至J类,记录有误,拒绝。",
      en = "Service provider \"{provider}\" records the IT service type \"{service_type}\", "
        .. "which is not one of types A-J of form 1; the record is wrong; refused.",
    },
    ["security-review-approved"] = {
      zh = "服务机构「{provider}」(服务类型:{service_types})已经工业和信息化部安全审查同意({approved_on}),可以申请信息安全管理体系认证。",
      en = "Service provider \"{provider}\" (service types: {service_codes}) has the "
        .. "ministry's security review approval ({approved_on}) and may apply for ISMS "
        .. "certification.",
    },
    ["recertification-approved"] = {
      zh = "服务机构「{provider}」(服务类型:{service_types})于{certified_on}获证后,已就再认证另经工业和信息化部安全审查同意({approved_on}),可以申请再认证。",
      en = "Service provider \"{provider}\" (service types: {service_codes}), certified on "
        .. "{certified_on}, has a new security review approval from the ministry "
        .. "({approved_on}) and may apply for re-certification.",
    },
  },
  rule = function(req, data)
    if req.action ~= "apply-certification" then return not_applicable("other-action") end

    local provider, record, code, params = providers.find(req, data)
    if record == nil then return deny(code, params) end
    if record.security_review_approved ~= true then
      return deny("no-security-review", { provider = provider })
    end

    local approved_on = record.security_review_approved_on
    local today = days.today(req)
    if approved_on ~= nil and days.of_date(approved_on) > today then
      return deny("approval-after-application", { provider = provider, approved_on = approved_on })
    end

    local certified_on = record.certified_on
    if certified_on ~= nil then
      if approved_on == nil then
        return deny("recertification-approval-undated",
                    { provider = provider, certified_on = certified_on })
      end
      if days.of_date(approved_on) <= days.of_date(certified_on) then
        return deny("approval-predates-certificate",
                    { provider = provider, approved_on = approved_on, certified_on = certified_on })
      end
    end

    local zh, en = service_types(record.service_types)
    if zh == nil then
      return deny("unknown-service-type", { provider = provider, service_type = tostring(en) })
    end
    params = { provider = provider, approved_on = approved_on or "日期未登记 / undated",
               service_types = zh, service_codes = en }
    if certified_on ~= nil then
      params.certified_on = certified_on
      return permit("recertification-approved", params)
    end
    return permit("security-review-approved", params)
  end,
}
