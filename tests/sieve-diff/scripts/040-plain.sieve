if header :contains "received" "localhost" {
  stop;
}
