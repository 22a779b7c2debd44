if false {
  discard;
}
