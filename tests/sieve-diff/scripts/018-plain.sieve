if header :contains "content-type" "report" {
  discard;
}
