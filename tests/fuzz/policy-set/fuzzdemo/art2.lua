return article {
  number = "2",
  text = { zh = "第二条。", en = "Article 2." },
  citation = "FUZZ-1 2",
  messages = { off = { zh = "目的不符。", en = "Purpose not agreed." } },
  rule = function(req, data)
    local c = data.contracts and req.resource.contract and data.contracts[req.resource.contract]
    if not c or not req.purpose then return not_applicable() end
    for _, p in ipairs(c.purposes or {}) do
      if p == req.purpose then return not_applicable() end
      local related = (c.related_purposes or {})[p] or (data.purposes and data.purposes[p] or {}).related
      for _, r in ipairs(related or {}) do
        if r == req.purpose then return not_applicable() end
      end
    end
    return deny("off")
  end,
}
