-- policies/gz-2012/art19.lua — 穗外经贸法〔2012〕7号 第十九条: the contractor must not infringe
-- the trademarks, patents, copyrights and other intellectual property the employer lawfully
-- holds.  Implements 商务部、工业和信息化部令2009年第13号 第十二条.
--
-- Reading (each verdict is one of these steps, in this order; steps 2-5 are
-- lib/employer_ip.lua, which mofcom-2009-13/art12.lua uses too):
--
--  1. The article forbids; it never permits.  It applies to a resource that embodies the
--     employer's intellectual property: the request field resource.ip lists the kinds of
--     right (trademark, patent, copyright, ... — 「等」 keeps the list open, so any name is
--     taken).  Without it nothing shows the employer holds a right in the resource: not
--     applicable ("no-employer-ip").  The rights must be the employer's (「发包方依法享有
--     的」): a resource owned by someone other than the contract's employer is not applicable.
--  2. Using another's trademark, patent or copyright is lawful within the licence its holder
--     gives, and the employer's licence to the contractor is the outsourcing contract.  The
--     contract is needed: none, or an unknown one, is denied (fail closed).
--  3. What the act does (lib/actions.lua): no act, or an undeclared one, is denied; deleting
--     the material, or returning it to the employer, infringes nothing (not applicable).
--  4. Exploiting it for sale or promotion (sell, promote) is beyond any outsourcing licence:
--     deny.  Handing it to anyone outside the contract's circle (the employer, the contract's
--     `recipients` and `subjects`) is beyond the licence: deny.
--  5. Any act the contract does not list (`actions`) is a use beyond the licence: deny.
--     Otherwise not applicable ("within-licence").

local employer_ip = require "employer_ip"

return article {
  number = "19",
  text = {
    zh = "第十九条 接包方不得侵犯发包方依法享有的商标、专利、著作权等知识产权权利。",
    en = "Article 19  The contractor shall not infringe the trademarks, patents, copyrights "
      .. "and other intellectual property rights the employer lawfully holds.",
  },
  citation = "穗外经贸法〔2012〕7号 第十九条",
  implements = { { regime = "mofcom-2009-13", article = "12" } },
  messages = custos.messages(employer_ip.MESSAGES, {}),
  rule = function(req, data)
    return employer_ip.judge(req, data)
  end,
}
