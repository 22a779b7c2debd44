if header :matches "subject" "?*" {
  keep;
}
