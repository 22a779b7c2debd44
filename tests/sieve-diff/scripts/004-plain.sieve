if header :matches "subject" "*re:*" {
  discard;
}
