-- The fuzz targets' regime: two articles that read the request and every data section.
return regime {
  id = "fuzzdemo",
  title = { zh = "模糊测试规则", en = "Fuzz regime" },
  document = "FUZZ-1",
  issued = "2020-01-01", effective = "2020-01-01", expires = "2030-12-31",
  articles = {
    { number = "1", title = { zh = "合同", en = "Contract" }, encoded = true },
    { number = "2", title = { zh = "目的", en = "Purpose" }, encoded = true },
  },
}
