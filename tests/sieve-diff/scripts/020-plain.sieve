require ["regex"];
if header :regex "subject" "^(re|aw|fwd?):" {
  redirect "archive@example.net";
}
