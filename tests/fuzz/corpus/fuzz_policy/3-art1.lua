3local walk = require "walk"

return article {
  number = "1",
  text = { zh = "第一条。", en = "Article 1." },
  citation = "FUZZ-1 1",
  obligations = { "log-access" },
  messages = {
    ok = { zh = "{who}可以使用({n})。", en = "{who} may use it ({n})." },
    unknown = { zh = "合同不明。", en = "Unknown contract." },
    stranger = { zh = "不是合同的人。", en = "Not a person of the contract." },
    expired = { zh = "已过期。", en = "Expired." },
  },
  rule = function(req, data)
    local id = req.resource.contract
    if not id then return not_applicable() end
    local c = data.contracts and data.contracts[id]
    if not c then return deny("unknown") end
    if c.retention_until and req.context.epoch > custos.date_end(c.retention_until) then
      return deny("expired")
    end
    for _, s in ipairs(c.subjects or {}) do
      if s == req.subject.id then
        return permit("ok", { who = s, n = walk.count(data) }, { "log-access" })
      end
    end
    return deny("stranger")
  end,
}
