-- policies/mofcom-2009-13/art12.lua — 商务部、工业和信息化部令2009年第13号 第十二条: the contractor
-- must not infringe the trademarks, patents, copyrights and other intellectual property the
-- employer holds.  Guangzhou repeats it as gz-2012 art. 19.
--
-- Text: the copy used had only a machine translation, and the order's Chinese text of this
-- article was not found in any source searched: text.zh says that the original is not included
-- (原文未收录) rather than guess it, and text.en quotes that English as is, followed by our
-- reading of it ("contract issuer" there renders 接包方, the contractor).
--
-- Reading: the same as gz-2012/art19.lua, step for step (lib/employer_ip.lua).

local employer_ip = require "employer_ip"

return article {
  number = "12",
  text = {
    zh = "（原文未收录：见商务部、工业和信息化部令2009年第13号第十二条）",
    en = "[Article 12 in an English machine translation, quoted as is:] \"12th contract issuer "
      .. "shall not infringe the employer shall enjoy trademark, patent, copyright and other "
      .. "intellectual property rights.\"\n\n"
      .. "[Our reading:] The contractor shall not infringe the trademarks, patents, copyrights "
      .. "and other intellectual property rights the employer holds.",
  },
  citation = "商务部、工业和信息化部令2009年第13号 第十二条",
  messages = custos.messages(employer_ip.MESSAGES, {}),
  rule = function(req, data)
    return employer_ip.judge(req, data)
  end,
}
