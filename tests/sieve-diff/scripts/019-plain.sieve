if not exists "message-id" {
  keep;
}
