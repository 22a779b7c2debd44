require ["fileinto"];
if allof (exists "from", not exists "in-reply-to") {
  keep; fileinto "Dup";
}
