-- The fuzz targets' small policy set (tests/fuzz/README.md): the request fields its articles
-- read and the data sections its data documents may hold.
return {
  types = {
    level = { enum = { "secret", "public" }, doc = "a secrecy level, highest first" },
  },
  request = {
    { "action", "string", "the act: use, store, sell, ..." },
    { "purpose", "string", "what the data is used for" },
    { "resource", "table", "the data acted on" },
    { "resource.contract", "string", "the contract it was entrusted under" },
    { "resource.classification", "level", "its secrecy level" },
    { "resource.tags", "strings", "labels" },
    { "subject", "table", "who acts" },
    { "subject.id", "string", "the person's id" },
    { "subject.clearance", "level", "the highest level they may access" },
  },
  data = {
    contracts = {
      employer = "string", purposes = "strings", related_purposes = "string-lists",
      subjects = "strings", retention_until = "date", signed = "date", confidential = "boolean",
      copies = "integer", share = "number",
    },
    purposes = { related = "strings", title = "string" },
  },
}
