-- schema.lua — the vocabulary the shipped regimes share: the request fields their articles
-- read and the data sections they consult.  custos loads it with the regimes (it is found like
-- the shared lib/ folder: here, for this folder of regimes, or beside a single regime folder)
-- and checks requests and data documents against it.  A regime adds its own fields and
-- sections in its regime.lua (`request = {...}`, `data = {...}`); declaring a path again is
-- allowed only when the declarations agree exactly.
--
-- request: {path, type, one line of doc}; a field under a table needs the table declared.
-- Types: table, string, boolean, integer, number, time, date, strings (a list of strings), or
-- a named type of `types`.  The engine itself declares only context.time (and derives
-- context.epoch from it).
return {
  types = {
    level = {
      enum = { "top_secret", "secret", "confidential", "public" },
      doc = "a secrecy level, highest first",
    },
  },

  request = {
    -- what each act does (use, store, hand-over, delete, return): lib/actions.lua, or data `actions`
    { "action", "string", "the act: use, process, store, disclose, sell, ..." },
    { "context", "table", "when and under what consent" },
    { "context.approvals", "strings", "further people authorizing this act" },
    { "context.consent", "table", "the employer's consent" },
    { "context.consent.by", "string", "who gave the consent (the employer or partner)" },
    { "context.consent.purposes", "strings", "purposes the employer consented to" },
    { "context.consent.valid_from", "date", "first day the consent holds" },
    { "context.consent.valid_until", "date", "last day the consent holds" },
    { "context.consent.written", "boolean", "whether the consent is in writing" },
    { "context.recipient", "string", "who receives the data when the act hands it over (disclose, transfer, share, ...)" },
    { "context.recipient_org", "string", "the recipient's organisation (gz-2012 art. 7, mofcom-2009-13 art. 5: a colleague's)" },
    { "context.regions", "strings", "regions whose law the act touches" },
    { "context.target_level", "level", "the level an access-level change asks for" },
    { "context.target_subject", "string", "whom an act on people (e.g. an access-level change) is about" },
    { "purpose", "string", "what the data is used for" },
    { "resource", "table", "the data acted on" },
    { "resource.category", "string", "personal, commercial, technical, ..." },
    { "resource.classification", "level", "its secrecy level" },
    { "resource.classified_project", "boolean", "belongs to a classified (标密) project" },
    { "resource.contract", "string", "the outsourcing contract it was entrusted under" },
    { "resource.entrusted", "boolean", "entrusted by the employer under a contract" },
    { "resource.id", "string", "the data's id" },
    { "resource.important", "boolean", "important data though not classified (gz-2012 art. 7, mofcom-2009-13 art. 5)" },
    { "resource.ip", "strings", "the employer's intellectual property it embodies: trademark, patent, copyright, ..." },
    { "resource.owner", "string", "the employer who owns it" },
    { "resource.project", "string", "the project it belongs to" },
    { "resource.protected_by_employer", "boolean", "the employer keeps it confidential" },
    { "resource.public", "boolean", "already known to the public" },
    { "subject", "table", "who acts" },
    { "subject.clearance", "level", "the highest level they may access" },
    { "subject.id", "string", "the person's id" },
    { "subject.org", "string", "their organization" },
    { "subject.role", "string", "staff, manager, director, partner, supplier, ..." },
    { "subject.signed_confidentiality", "boolean", "has signed a confidentiality agreement" },
  },

  data = {
    contracts = {
      employer = "string", contractor = "string",
      foreign_employer = "boolean", confidentiality = "boolean",
      purposes = "strings", related_purposes = "string-lists",
      subjects = "strings", actions = "strings",
      retention_until = "date", signed = "date",
      regions = "strings", title = "string",
      recipients = "strings", -- parties besides the employer the contract lets the data go to (e.g. its auditor)
    },
    -- The contractors (接包方) the contracts name: where each is, for the regimes' scope (gz-2012
    -- art. 1: Guangzhou enterprises; mofcom-2009-13: domestic enterprises; lib/scope.lua).
    contractors = { name = "string", city = "string", domestic = "boolean" },
    -- Acts a host names beyond those policies/lib/actions.lua declares, with what each does:
    -- kind is use, store, handover, delete or return; purpose what the act is for by nature
    -- (sale, promotion).  An act no declaration covers is refused by the articles that judge
    -- an act by what it does (gz-2012 arts. 4, 13; mofcom-2009-13 art. 4).
    actions = { kind = "string", purpose = "string", title = "string" },
    purposes = {
      related = "strings", narrower = "strings", broader = "strings",
      description = "string", title = "string",
    },
  },
}
