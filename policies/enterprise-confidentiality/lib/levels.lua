-- policies/enterprise-confidentiality/lib/levels.lua — the levels of service information, from
-- 信息分類與標識 第1項 (article 5): 絕密 top_secret > 機密 secret > 秘密 confidential, and
-- public for anything else; the same levels are a person's access level (subject.clearance,
-- the register's `clearance`).  RANK orders them; ZH and EN name them in messages.
--
-- Used by art. 15 (access at one's level) and art. 34 (raising a level).  Loop-free.
return {
  RANK = { public = 0, confidential = 1, secret = 2, top_secret = 3 },
  ZH = { public = "公开", confidential = "秘密", secret = "机密", top_secret = "绝密" },
  EN = { public = "public", confidential = "confidential", secret = "secret",
         top_secret = "top secret" },
}
