if exists ["auto-submitted", "precedence"] {
  stop;
}
