-- policies/miit-2011-21/art4.lua — 工业和信息化部公告2011年第21号 附件 第四项: a provider applying
-- for ISMS certification must choose a certification body approved by the national
-- certification and accreditation administration (国家认证认可监督管理委员会, CNCA) to certify
-- information security management systems.
--
-- Question: "may this provider apply for ISMS certification now?" — action
-- "apply-certification" (a re-certification is the same action; see art6.lua).  Any other
-- action is not applicable.  Art. 6 (the ministry's security review) answers the same request;
-- both must permit.
--
-- Reading (each verdict below is one of these steps, in this order):
--
--  1. The first sentence ("鼓励……加强信息安全建设") is an encouragement and decides nothing.
--  2. The provider is resource.provider (a custom field) or else subject.org (the provider
--     applying for itself).  Neither: deny "no-provider".  A provider the `providers` data
--     does not hold: deny "unknown-provider" — its chosen body cannot be known (fail closed).
--  3. The chosen body is the provider's `certification_body` — the body it named in its
--     security review application (point 八(三)), which is the one it applies to.  None named:
--     deny "no-certification-body".
--  4. The body must be in `certification_bodies` with approved = true (CNCA approval to
--     certify ISMS).  Unknown body: deny "unknown-certification-body"; approved missing or
--     false: deny "body-not-approved".  Otherwise permit "body-approved".

local providers = require "providers"

return article {
  number = "4",
  text = {
    -- Quoted as published; the copy breaks the first sentence across a page ("加强信息\n\n
    -- 安全建设"), which is joined here.
    zh = "四、鼓励服务机构按照信息安全管理体系相关标准加强信息安全建设。服务机构申请信息安全管理体系认证时，应选择国家认证认可监督管理委员会批准开展信息安全管理体系认证的认证机构。",
    en = "4.  Service providers are encouraged to strengthen their information security in "
      .. "line with the standards for information security management systems.  A service "
      .. "provider applying for information security management system certification shall "
      .. "choose a certification body that the Certification and Accreditation Administration "
      .. "has approved to certify information security management systems.",
  },
  citation = "工业和信息化部公告2011年第21号 附件 第四项",
  messages = {
    ["other-action"] = {
      zh = "该请求不是申请信息安全管理体系认证,第四项不适用。",
      en = "The request is not an application for ISMS certification; point 4 does not apply.",
    },
    ["no-provider"] = {
      zh = "请求未指明服务机构(resource.provider 或 subject.org),无法确认其选择的认证机构。",
      en = "The request names no service provider (resource.provider or subject.org), so its "
        .. "chosen certification body cannot be checked.",
    },
    ["unknown-provider"] = {
      zh = "没有服务机构「{provider}」的记录,无法确认其选择的认证机构经国家认证认可监督管理委员会批准,拒绝。",
      en = "There is no record of service provider \"{provider}\", so its chosen certification "
        .. "body cannot be shown to be CNCA-approved; refused.",
    },
    ["no-certification-body"] = {
      zh = "服务机构「{provider}」没有指明拟选定的认证机构,无法确认其经国家认证认可监督管理委员会批准开展信息安全管理体系认证。",
      en = "Service provider \"{provider}\" has named no certification body, so the body cannot "
        .. "be shown to be approved by CNCA to certify ISMS.",
    },
    ["unknown-certification-body"] = {
      zh = "认证机构「{body}」不在经国家认证认可监督管理委员会批准开展信息安全管理体系认证的认证机构之列,服务机构「{provider}」不得向其申请认证。",
      en = "Certification body \"{body}\" is not among the bodies CNCA has approved to certify "
        .. "ISMS; service provider \"{provider}\" may not apply to it.",
    },
    ["body-not-approved"] = {
      zh = "认证机构「{body}」未经国家认证认可监督管理委员会批准开展信息安全管理体系认证,服务机构「{provider}」不得向其申请认证。",
      en = "Certification body \"{body}\" is not approved by CNCA to certify ISMS; service "
        .. "provider \"{provider}\" may not apply to it.",
    },
    ["body-approved"] = {
      zh = "服务机构「{provider}」选择的认证机构「{body}」经国家认证认可监督管理委员会批准开展信息安全管理体系认证(批准号:{approval_number})。",
      en = "Service provider \"{provider}\" chose certification body \"{body}\", approved by "
        .. "CNCA to certify ISMS (approval number: {approval_number}).",
    },
  },
  rule = function(req, data)
    if req.action ~= "apply-certification" then return not_applicable("other-action") end

    local provider, record, code, params = providers.find(req, data)
    if record == nil then return deny(code, params) end

    local body = record.certification_body
    if body == nil then return deny("no-certification-body", { provider = provider }) end
    local bodies = data.certification_bodies
    local entry = bodies and bodies[body]
    if entry == nil then
      return deny("unknown-certification-body", { provider = provider, body = body })
    end
    if entry.approved ~= true then
      return deny("body-not-approved", { provider = provider, body = body })
    end
    return permit("body-approved",
                  { provider = provider, body = body, approval_number = entry.approval_number or "—" })
  end,
}
