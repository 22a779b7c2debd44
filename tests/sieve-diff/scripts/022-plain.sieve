require ["copy", "fileinto", "regex"];
if header :regex "from" "[0-9]{3,}" {
  fileinto :copy "Copies";
}
