require ["copy", "regex"];
if header :regex "subject" "\\[#[0-9]+\\]" {
  redirect :copy "copy@example.net";
}
