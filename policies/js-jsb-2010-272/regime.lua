-- policies/js-jsb-2010-272/regime.lua — 江苏省住房和城乡建设厅关于进一步确保建设领域工程项目
-- 信息安全的通知 (苏建办〔2010〕272号).
--
-- Source: a compilation of Jiangsu e-government documents, between a Zhenjiang measure and a piece
-- on Jiangsu's e-government network security.  The page's attributes: 制定机关 江苏省住房和城乡
-- 建设厅; 公布日期 2010.06.18; 字号 苏建办[2010]272号 (the notice's own heading writes
-- 苏建办〔2010〕272号, used here); 施行日期 2010.06.18; 效力等级 地方规范性文件; 时效性 现行有效
-- (in force, no expiry).
--
-- Structure: a preamble (addressees, why the notice is issued) and the numbered requirements
-- 一、二、三, listed here as articles 1, 2, 3.  The source's copy ends after item 三 (the next line
-- starts another document); any later items of the notice are not in the source and not listed.
--
-- What it decides: a classified (标密) construction project must never enter an information
-- system (item 二); the login asks "本项目是否标密" and refuses a classified project with the
-- prompt "标密工程严禁使用本系统"; the system logs who logged in, when, and what they did (item
-- 三).  Requests say whether the project is classified in resource.classified_project and name
-- it in resource.project.
return regime {
  id = "js-jsb-2010-272",
  title = {
    zh = "江苏省住房和城乡建设厅关于进一步确保建设领域工程项目信息安全的通知",
    en = "Notice of the Jiangsu Provincial Department of Housing and Urban-Rural Development "
      .. "on Further Ensuring the Information Security of Construction Project Information",
  },
  document = "苏建办〔2010〕272号",
  issuers = { "江苏省住房和城乡建设厅" },
  issued = "2010-06-18",
  effective = "2010-06-18",
  source = "苏建办〔2010〕272号, in a compilation of (mostly Jiangsu) e-government documents",
  notes = "Published and in force 2010-06-18; 时效性 现行有效, so no expiry.  The source holds the "
    .. "preamble and items 一 to 三 (articles 1-3 here).",
  articles = {
    { number = "1",
      title = { zh = "一把手负责,谁审核谁负责,上网信息不涉密,涉密信息不上网",
                en = "Leadership responsibility; whoever reviews is responsible; nothing "
                  .. "classified goes online" },
      encoded = true },
    { number = "2",
      title = { zh = "标密工程不得进入信息系统", en = "Classified projects never enter an information system" },
      encoded = true },
    { number = "3",
      title = { zh = "登录时询问是否标密、拒绝标密工程并记录日志",
                en = "The login asks whether the project is classified, refuses classified "
                  .. "projects, and logs every login and operation" },
      encoded = true },
  },
}
